# Multi-stage build of the retail CLI (which also serves the dashboard).
# Not exercised in CI here (no Docker engine on the build machines); kept simple and conventional.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Retail.slnx ./
COPY src/ src/
RUN dotnet publish src/Retail.Cli/Retail.Cli.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends tzdata postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
WORKDIR /work
ENV DASHBOARD_URLS=http://0.0.0.0:8501
EXPOSE 8501
ENTRYPOINT ["dotnet", "/app/retail.dll"]
CMD ["--help"]
