# Multi-stage build of the retail CLI (which also serves the dashboard).
# No Docker engine on the build machines: tests/Retail.Tests/Operations/DockerFilesTests.cs checks these files
# (the compose file against the compose specification's schema with dclint, and the rules below) instead.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Retail.slnx ./
COPY src/ src/
RUN dotnet publish src/Retail.Cli/Retail.Cli.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# tzdata: UK times; postgresql-client: 'retail db backup/restore' against the db service; curl: the health checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tzdata postgresql-client curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# Runs as the image's unprivileged 'app' user (uid $APP_UID, 1654), which owns only the working folder:
# staging files (data/) and backups (backups/).
RUN mkdir -p /work/data /work/backups && chown -R "$APP_UID:$APP_UID" /work
USER $APP_UID
WORKDIR /work
ENV DASHBOARD_URLS=http://0.0.0.0:8501
EXPOSE 8501 9464
ENTRYPOINT ["dotnet", "/app/retail.dll"]
CMD ["--help"]
