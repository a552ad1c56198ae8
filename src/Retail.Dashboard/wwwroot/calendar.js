// Keyboard focus into the date picker's calendar once it shows: MudBlazor draws it at the end of the page, so Tab from
// the date inputs went on through the dashboard instead. The chosen start day if shown, else the first day that can be picked.
export function focusCalendar() {
    let frames = 0;
    const tryFocus = () => {
        const open = document.querySelector('.mud-popover-open .mud-picker-calendar-content');
        const day = open?.querySelector('button.mud-picker-calendar-day.mud-selected:not([disabled])')
            ?? open?.querySelector('button.mud-picker-calendar-day:not([disabled]):not(.mud-hidden)');
        if (day) {
            day.focus();
        } else if (frames++ < 60) {
            requestAnimationFrame(tryFocus);
        }
    };
    tryFocus();
}
