using Microsoft.AspNetCore.Components;

namespace Retail.Dashboard.Components.Charts;

/// <summary>
/// A widget that re-renders only when what it shows changed. The page re-renders every widget on each change of its own
/// state (a click, a load starting, the cell panel opening), and rendering and diffing an unchanged chart or table costs
/// server CPU, SignalR bytes and browser layout for nothing. Each widget passes what it shows to <see cref="Track"/>
/// from OnParametersSet (a tuple of references and values: data lists are new objects whenever they were reloaded).
/// </summary>
public abstract class RendersOnChange : ComponentBase
{
    private object? _shown;
    private bool _changed = true;

    protected void Track(object shown)
    {
        _changed |= !Equals(shown, _shown);
        _shown = shown;
    }

    protected override bool ShouldRender()
    {
        var changed = _changed;
        _changed = false;
        return changed;
    }
}
