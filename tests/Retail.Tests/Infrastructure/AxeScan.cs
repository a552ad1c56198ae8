using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Retail.Tests.Infrastructure;

/// <summary>
/// One accessibility scan of a page against WCAG 2.1 A/AA and axe's best practices: its serious and critical violations,
/// each as a line naming the state scanned, the rule and up to three offending elements.
/// </summary>
public static class AxeScan
{
    public static async Task<IReadOnlyList<string>> SeriousAsync(IPage page, string state)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            // Only violations are read, so axe need not return the nodes of passing and inapplicable rules; every
            // violation is still reported in full (it saved little time here: 49.9 → 44.4 s for the main views' scans).
            ResultTypes = [ResultType.Violations],
        });
        return result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{state}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")
            .ToList();
    }
}
