/* date.h - dates as Grav (PHP) reads and writes them.
 *
 * All times are Unix seconds. Reading and writing use the process's local
 * time zone, which folio sets once, before any thread starts, to the site's
 * `timezone` (date_set_timezone), so that localtime_r and mktime apply the
 * zone's real rules (Asia/Almaty moved from UTC+6 to UTC+5 in 2024). */
#ifndef FOLIO_DATE_H
#define FOLIO_DATE_H

#include "lib/buf.h"

/* Set the process time zone by IANA name ("Asia/Almaty"). Call only while
 * no other thread runs. Returns 0, or -1 when the zone is unknown (the
 * zone is then left unchanged). */
int date_set_timezone(const char *tz);

/* Parse a date the way PHP's `new DateTime($s)` does for the forms real
 * Grav sites use: "d-m-Y H:i" and "d-m-Y" (dashes: day first),
 * "Y-m-d H:i[:s]" and "Y-m-d", "H:i d-m-Y", "m/d/Y [H:i]" (slashes: month
 * first), "d.m.Y [H:i]", ISO 8601 with 'T' and an offset or 'Z',
 * "@<unix>" and a bare integer (Unix time); times may be 12-hour with
 * "am"/"pm". When php_format is not NULL (a page's `dateformat`), it is
 * tried first, with PHP's DateTime::createFromFormat letters d j m n Y y H
 * G i s (and g h a A). Times without a zone are local. Impossible dates
 * (31 February, month 13) are errors, not rolled over as PHP does.
 * Returns 0 and sets *out, or -1 when s is not a date; then *err_col (when
 * not NULL) is the 1-based column where reading failed. */
int date_parse(const char *s, const char *php_format, long long *out, int *err_col);

/* Append t formatted with PHP date() letters (d D j l N S w z W F m M n t L
 * o Y y a A g G h H i s u v e T P O Z c r U, and \\ escapes) in local time.
 * lang ("kk", "ru", "en", or NULL for English) translates month and day
 * names; in Russian a month name that follows a day number is in the
 * genitive ("9 января 2023"), as it is written; Kazakh uses its month
 * names as they are ("9 қаңтар 2023"). A month not after a day ("F Y")
 * starts with a capital in every language ("Январь 2023"). */
void date_format(buf *out, const char *php_format, long long t, const char *lang);

#endif
