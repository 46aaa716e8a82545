// Tells the server the browser's time zone, so times can be shown in the user's local time.
export function timeZone() {
    return {
        id: Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
        offsetMinutes: -new Date().getTimezoneOffset(),
    };
}
