/* date.c - reading and writing dates the way Grav (PHP) does.
 *
 * Reading recognises the handful of forms real Grav front matter uses (see
 * date.h) with a small cursor parser: it reads runs of digits and decides
 * the field order from the separator and the length of the first run, the
 * way PHP's strtotime grammar does ("09-01-2023" is day first, "01/09/2023"
 * month first, "2023-01-09" year first). Unlike PHP, impossible dates
 * (31 February) are errors instead of silently rolling over, because in a
 * site's source they are always typos.
 *
 * Local time is converted with mktime/localtime_r, so the system tz
 * database's history applies (Asia/Almaty was UTC+6 until March 2024).
 * Writing implements PHP's date() letters, with month and weekday names in
 * the site's three languages. */
#include "lib/date.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Dates beyond year 9999 are not dates anyone writes in a page, and
 * keeping to four-digit years keeps every conversion in range. */
#define MAX_UNIX_SECONDS 253402300799LL /* 9999-12-31 23:59:59 UTC */
#define MIN_UNIX_SECONDS (-62167219200LL) /* 0000-01-01 00:00:00 UTC */

/* ---------------------------------------------------------------- zone */

static bool zone_name_is_safe(const char *tz)
{
    size_t n = strlen(tz);
    if (n == 0 || n > 200 || tz[0] == '/' || strstr(tz, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)tz[i];
        if (!isalnum(c) && c != '/' && c != '_' && c != '-' && c != '+')
            return false;
    }
    return true;
}

/* Bumped when the zone changes, so the per-thread offset caches refill. */
static atomic_uint zone_generation = 1;

int date_set_timezone(const char *tz)
{
    if (!tz || !zone_name_is_safe(tz))
        return -1;
    /* glibc silently falls back to UTC for a name it cannot find, so look
     * the zone up ourselves to be able to report a typo in the config. */
    if (strcmp(tz, "UTC") != 0) {
        const char *dir = getenv("TZDIR");
        buf path = BUF_INIT;
        buf_printf(&path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
        struct stat st;
        bool found = stat(buf_cstr(&path), &st) == 0 && S_ISREG(st.st_mode);
        buf_free(&path);
        if (!found)
            return -1;
    }
    if (setenv("TZ", tz, 1) != 0)
        return -1;
    tzset();
    atomic_fetch_add(&zone_generation, 1);
    return 0;
}

/* ------------------------------------------------------------ calendar */

static bool is_leap_year(long long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long long y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * civil-from-days inverse, valid for any year). */
static long long days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, long long *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* ----------------------------------------------------------- local time */

/* glibc's localtime_r and mktime take a process-wide lock on every call;
 * a build formats and reads dates on every page from all cores, so the
 * zone's offset is remembered per thread and per hour (zones change
 * offset only on the hour or half hour... and never twice in an hour),
 * and the calendar arithmetic is done here. */
#define OFFSET_CACHE 1024

typedef struct offset_entry {
    long long hour; /* t / 3600, floored */
    unsigned generation;
    long offset;      /* seconds east of UTC */
    int is_dst;
    const char *zone; /* abbreviation, from glibc's static tables */
} offset_entry;

static _Thread_local offset_entry offset_cache[OFFSET_CACHE];

static const offset_entry *zone_at(long long t)
{
    long long hour = t >= 0 ? t / 3600 : -((-t + 3599) / 3600);
    offset_entry *e = &offset_cache[(unsigned long long)hour % OFFSET_CACHE];
    unsigned gen = atomic_load(&zone_generation);
    if (e->generation == gen && e->hour == hour) return e;
    time_t at = (time_t)(hour * 3600 + 1800);
    struct tm tm;
    if (!localtime_r(&at, &tm)) memset(&tm, 0, sizeof tm);
    e->hour = hour;
    e->generation = gen;
    e->offset = tm.tm_gmtoff;
    e->is_dst = tm.tm_isdst;
    e->zone = tm.tm_zone;
    return e;
}

/* localtime_r without the lock. */
static void local_tm(long long t, struct tm *tm)
{
    const offset_entry *z = zone_at(t);
    long long local = t + z->offset;
    long long days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    long long secs = local - days * 86400;
    long long y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    memset(tm, 0, sizeof *tm);
    tm->tm_year = (int)(y - 1900);
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
    tm->tm_hour = (int)(secs / 3600);
    tm->tm_min = (int)(secs / 60 % 60);
    tm->tm_sec = (int)(secs % 60);
    tm->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    tm->tm_yday = (int)(days - days_from_civil(y, 1, 1));
    tm->tm_isdst = z->is_dst;
    tm->tm_gmtoff = z->offset;
    tm->tm_zone = z->zone;
}

/* mktime without the lock: the local wall time given as seconds since the
 * epoch as if it were UTC, to an instant. Two rounds settle the offset
 * around a change; a time skipped by a change moves forward, as mktime
 * does. */
static long long local_to_unix(long long wall)
{
    long long t = wall - zone_at(wall)->offset;
    t = wall - zone_at(t)->offset;
    return t;
}

/* -------------------------------------------------------------- reading */

/* The fields of a date as read, with where each began for error columns. */
typedef struct date_fields {
    int year, month, day, hour, minute, second;
    const char *year_at, *month_at, *day_at;
    bool has_zone;
    int zone_offset; /* seconds east of UTC, when has_zone */
} date_fields;

/* A reading position; the first failure records its column. */
typedef struct cursor {
    const char *start;
    const char *p;
    int err_col;
} cursor;

static bool fail_at(cursor *c, const char *at)
{
    if (!c->err_col)
        c->err_col = (int)(at - c->start) + 1;
    return false;
}

static void skip_spaces(cursor *c)
{
    while (*c->p == ' ' || *c->p == '\t')
        c->p++;
}

/* Read min..max decimal digits into *v. Leaves the cursor unmoved and
 * returns false when fewer than min digits are there. */
static bool read_digits(cursor *c, int min, int max, int *v)
{
    int n = 0, value = 0;
    while (n < max && isdigit((unsigned char)c->p[n])) {
        value = value * 10 + (c->p[n] - '0');
        n++;
    }
    if (n < min)
        return false;
    c->p += n;
    *v = value;
    return true;
}

static int digit_run_length(const char *p)
{
    int n = 0;
    while (isdigit((unsigned char)p[n]))
        n++;
    return n;
}

static bool expect_char(cursor *c, char ch)
{
    if (*c->p != ch)
        return fail_at(c, c->p);
    c->p++;
    return true;
}

/* A numeric field of min..max digits within [lo, hi]. */
static bool read_field(cursor *c, int min, int max, int lo, int hi, int *v, const char **at)
{
    const char *start = c->p;
    if (!read_digits(c, min, max, v))
        return fail_at(c, start);
    /* A longer run than the field allows ("123-01-2023") is not a date. */
    if (isdigit((unsigned char)*c->p))
        return fail_at(c, start);
    if (*v < lo || *v > hi)
        return fail_at(c, start);
    if (at)
        *at = start;
    return true;
}

/* "am", "pm", "a.m." or "p.m." in any case: 1 for am, 2 for pm, 0 when
 * there is none (the cursor then stays where it was). */
static int read_meridian(cursor *c)
{
    const char *p = c->p;
    int first = tolower((unsigned char)*p);
    if (first != 'a' && first != 'p')
        return 0;
    p++;
    bool dotted = *p == '.';
    if (dotted)
        p++;
    if (tolower((unsigned char)*p) != 'm')
        return 0;
    p++;
    if (dotted && *p++ != '.')
        return 0;
    if (isalnum((unsigned char)*p))
        return 0;
    c->p = p;
    return first == 'a' ? 1 : 2;
}

/* A 12-hour clock reading: 12 am is midnight, 12 pm noon. */
static bool apply_meridian(cursor *c, date_fields *f, int meridian, const char *hour_at)
{
    if (f->hour < 1 || f->hour > 12)
        return fail_at(c, hour_at);
    f->hour = f->hour % 12 + (meridian == 2 ? 12 : 0);
    return true;
}

/* H:i[:s[.fraction]][ am|pm] - the fraction is accepted and dropped (whole
 * seconds); Grav's admin offers "m/d/Y h:i a" among its date formats. */
static bool read_time(cursor *c, date_fields *f)
{
    const char *hour_at = c->p;
    if (!read_field(c, 1, 2, 0, 23, &f->hour, NULL) || !expect_char(c, ':') ||
        !read_field(c, 2, 2, 0, 59, &f->minute, NULL))
        return false;
    if (*c->p == ':') {
        c->p++;
        if (!read_field(c, 2, 2, 0, 59, &f->second, NULL))
            return false;
        if (*c->p == '.' || *c->p == ',') {
            c->p++;
            const char *digits = c->p;
            while (isdigit((unsigned char)*c->p))
                c->p++;
            if (c->p == digits)
                return fail_at(c, digits);
        }
    }
    const char *after_time = c->p;
    skip_spaces(c);
    int meridian = read_meridian(c);
    if (!meridian) {
        c->p = after_time;
        return true;
    }
    return apply_meridian(c, f, meridian, hour_at);
}

/* 'Z', "UTC", "GMT" or +hh[[:]mm]. */
static bool read_zone(cursor *c, date_fields *f)
{
    if (*c->p == 'Z' || *c->p == 'z') {
        c->p++;
        f->has_zone = true;
        f->zone_offset = 0;
        return true;
    }
    if (!strncmp(c->p, "UTC", 3) || !strncmp(c->p, "GMT", 3)) {
        c->p += 3;
        f->has_zone = true;
        f->zone_offset = 0;
        return true;
    }
    if (*c->p != '+' && *c->p != '-')
        return fail_at(c, c->p);
    int sign = *c->p == '-' ? -1 : 1;
    c->p++;
    int hours, minutes = 0;
    if (!read_digits(c, 2, 2, &hours) || hours > 14)
        return fail_at(c, c->p);
    if (*c->p == ':')
        c->p++;
    if (isdigit((unsigned char)*c->p) && (!read_digits(c, 2, 2, &minutes) || minutes > 59))
        return fail_at(c, c->p);
    f->has_zone = true;
    f->zone_offset = sign * (hours * 3600 + minutes * 60);
    return true;
}

/* The date part: the first run's length and the separator after it decide
 * the order, as in PHP: dashes and dots after a short number are day first
 * (European), slashes month first (American), four digits year first. */
static bool read_calendar_date(cursor *c, date_fields *f)
{
    int first_len = digit_run_length(c->p);
    char sep = c->p[first_len];
    if (first_len == 0 || (sep != '-' && sep != '/' && sep != '.'))
        return fail_at(c, c->p + first_len);
    if (first_len == 4) {
        if (sep == '.')
            return fail_at(c, c->p + first_len);
        return read_field(c, 4, 4, 0, 9999, &f->year, &f->year_at) && expect_char(c, sep) &&
               read_field(c, 1, 2, 0, 99, &f->month, &f->month_at) && expect_char(c, sep) &&
               read_field(c, 1, 2, 0, 99, &f->day, &f->day_at);
    }
    int *first = sep == '/' ? &f->month : &f->day;
    int *second = sep == '/' ? &f->day : &f->month;
    const char **first_at = sep == '/' ? &f->month_at : &f->day_at;
    const char **second_at = sep == '/' ? &f->day_at : &f->month_at;
    return read_field(c, 1, 2, 0, 99, first, first_at) && expect_char(c, sep) &&
           read_field(c, 1, 2, 0, 99, second, second_at) && expect_char(c, sep) &&
           read_field(c, 4, 4, 0, 9999, &f->year, &f->year_at);
}

/* Month and day are read as any two digits so that the error can name the
 * field that is out of range rather than the character after it. */
static bool check_calendar(cursor *c, const date_fields *f)
{
    if (f->month < 1 || f->month > 12)
        return fail_at(c, f->month_at);
    if (f->day < 1 || f->day > days_in_month(f->year, f->month))
        return fail_at(c, f->day_at);
    return true;
}

static bool fields_to_unix(const date_fields *f, long long *out)
{
    if (f->has_zone) {
        long long days = days_from_civil(f->year, f->month, f->day);
        *out = days * 86400 + f->hour * 3600 + f->minute * 60 + f->second - f->zone_offset;
        return true;
    }
    long long days = days_from_civil(f->year, f->month, f->day);
    *out = local_to_unix(days * 86400 + f->hour * 3600 + f->minute * 60 + f->second);
    return true;
}

/* "@1673236800" or a bare integer: Unix seconds. */
static bool read_unix_time(cursor *c, long long *out)
{
    const char *p = c->p;
    if (*p == '@')
        p++;
    const char *digits = p;
    if (*p == '-' || *p == '+')
        p++;
    if (!isdigit((unsigned char)*p))
        return fail_at(c, p);
    long long v = 0;
    bool negative = *digits == '-';
    while (isdigit((unsigned char)*p)) {
        if (v > MAX_UNIX_SECONDS)
            return fail_at(c, digits);
        v = v * 10 + (*p - '0');
        p++;
    }
    if (negative)
        v = -v;
    if (v > MAX_UNIX_SECONDS || v < MIN_UNIX_SECONDS)
        return fail_at(c, digits);
    c->p = p;
    *out = v;
    return true;
}

static bool at_end(cursor *c)
{
    skip_spaces(c);
    return *c->p == 0 || fail_at(c, c->p);
}

static bool parse_free_form(cursor *c, long long *out)
{
    date_fields f = {0};
    skip_spaces(c);
    int run = digit_run_length(c->p);
    if (run == 8 && c->p[8] == 0) { /* "20230311", PHP's year, month and day without separators */
        f.year_at = c->p, f.month_at = c->p + 4, f.day_at = c->p + 6;
        f.year = (c->p[0] - '0') * 1000 + (c->p[1] - '0') * 100 + (c->p[2] - '0') * 10 + (c->p[3] - '0');
        f.month = (c->p[4] - '0') * 10 + (c->p[5] - '0');
        f.day = (c->p[6] - '0') * 10 + (c->p[7] - '0');
        if (f.year >= 1000 && f.month >= 1 && f.month <= 12 && f.day >= 1 && f.day <= days_in_month(f.year, f.month))
            return fields_to_unix(&f, out);
    }
    bool is_unix = *c->p == '@' || (run > 0 && c->p[run] == 0) ||
                   ((*c->p == '-' || *c->p == '+') && digit_run_length(c->p + 1) > 0 &&
                    c->p[1 + digit_run_length(c->p + 1)] == 0);
    if (is_unix)
        return read_unix_time(c, out) && at_end(c);
    if (run > 0 && c->p[run] == ':') {
        /* Time first: "10:00 09-01-2023". */
        if (!read_time(c, &f))
            return false;
        if (*c->p != ' ' && *c->p != '\t')
            return fail_at(c, c->p);
        skip_spaces(c);
        if (!read_calendar_date(c, &f))
            return false;
    } else {
        if (!read_calendar_date(c, &f))
            return false;
        if (*c->p == 'T' || *c->p == 't') {
            /* ISO 8601: the 'T' must be followed by a time. */
            c->p++;
            if (!isdigit((unsigned char)*c->p))
                return fail_at(c, c->p);
        } else {
            skip_spaces(c);
        }
        if (isdigit((unsigned char)*c->p)) {
            if (!read_time(c, &f))
                return false;
            skip_spaces(c);
            if (*c->p && !read_zone(c, &f))
                return false;
        }
    }
    if (!at_end(c) || !check_calendar(c, &f))
        return false;
    if (!fields_to_unix(&f, out))
        return fail_at(c, c->start);
    return true;
}

/* An English month's name, whole or its first three letters ("March",
 * "Mar", "mar.", "Sept"), in any case: 1 to 12, the cursor after it; 0. */
static int read_month_name(cursor *c)
{
    static const char *const names[] = {"january", "february", "march",     "april",   "may",      "june",
                                        "july",    "august",   "september", "october", "november", "december"};
    size_t n = 0;
    while (isalpha((unsigned char)c->p[n])) n++;
    for (int m = 0; m < 12 && n >= 3; m++)
        if (!strncasecmp(c->p, names[m], n) && (n == 3 || n == strlen(names[m]) || (m == 8 && n == 4))) {
            c->p += n;
            if (*c->p == '.') c->p++;
            return m + 1;
        }
    return 0;
}

/* The forms with a month's name that PHP's free-form reading takes and
 * Grav sites have: "March 11, 2023", "11 March 2023", "11-Mar-2023",
 * each with a time after it, and e-mail's "Sat, 11 Mar 2023 10:00:00
 * +0000". */
static bool parse_named_month(cursor *c, long long *out)
{
    date_fields f = {0};
    skip_spaces(c);
    if (isalpha((unsigned char)*c->p) && isalpha((unsigned char)c->p[1]) && isalpha((unsigned char)c->p[2]) &&
        (c->p[3] == ',' || (isalpha((unsigned char)c->p[3]) && !read_month_name(&(cursor){c->p, c->p, 0})))) {
        /* a weekday first ("Sat,", "Saturday"): PHP checks nothing of it */
        while (isalpha((unsigned char)*c->p)) c->p++;
        if (*c->p == ',') c->p++;
        skip_spaces(c);
    }
    f.month_at = f.day_at = f.year_at = c->p;
    if (isdigit((unsigned char)*c->p)) { /* "11 March 2023", "11-Mar-2023" */
        if (!read_field(c, 1, 2, 0, 99, &f.day, &f.day_at)) return false;
        char sep = *c->p;
        if (sep == '-' || sep == ' ' || sep == '.') c->p++;
        skip_spaces(c);
        f.month_at = c->p;
        if (!(f.month = read_month_name(c))) return fail_at(c, f.month_at);
        if (sep == '-' && !expect_char(c, '-')) return false;
        skip_spaces(c);
    } else { /* "March 11, 2023" */
        if (!(f.month = read_month_name(c))) return fail_at(c, c->p);
        skip_spaces(c);
        if (!read_field(c, 1, 2, 0, 99, &f.day, &f.day_at)) return false;
        if (c->p[0] == 's' || c->p[0] == 'n' || c->p[0] == 'r' || c->p[0] == 't') { /* "11th" */
            if (isalpha((unsigned char)c->p[1]) && !isalpha((unsigned char)c->p[2])) c->p += 2;
        }
        if (*c->p == ',') c->p++;
        skip_spaces(c);
    }
    if (!read_field(c, 4, 4, 0, 9999, &f.year, &f.year_at)) return false;
    skip_spaces(c);
    if (*c->p == ',') c->p++, skip_spaces(c);
    if (isdigit((unsigned char)*c->p)) {
        if (!read_time(c, &f)) return false;
        skip_spaces(c);
        if (*c->p && !read_zone(c, &f)) return false;
    }
    if (!at_end(c) || !check_calendar(c, &f)) return false;
    return fields_to_unix(&f, out) || fail_at(c, c->start);
}

/* DateTime::createFromFormat with the letters Grav's `dateformat` uses.
 * Fields the format does not mention start from 1970-01-01 00:00:00, not
 * from "now" as in PHP, so that a build does not depend on when it runs. */
static bool parse_with_format(cursor *c, const char *fmt, long long *out)
{
    date_fields f = {.year = 1970, .month = 1, .day = 1};
    f.year_at = f.month_at = f.day_at = c->p;
    const char *hour_at = c->p;
    int meridian = 0;
    for (const char *q = fmt; *q; q++) {
        switch (*q) {
        case 'd':
        case 'j':
            if (!read_field(c, 1, 2, 0, 99, &f.day, &f.day_at))
                return false;
            break;
        case 'm':
        case 'n':
            if (!read_field(c, 1, 2, 0, 99, &f.month, &f.month_at))
                return false;
            break;
        case 'Y':
            if (!read_field(c, 4, 4, 0, 9999, &f.year, &f.year_at))
                return false;
            break;
        case 'y':
            if (!read_field(c, 2, 2, 0, 99, &f.year, &f.year_at))
                return false;
            /* PHP: two-digit years are 1970-2069. */
            f.year += f.year < 70 ? 2000 : 1900;
            break;
        case 'H':
        case 'G':
            if (!read_field(c, 1, 2, 0, 23, &f.hour, NULL))
                return false;
            break;
        case 'g':
        case 'h':
            hour_at = c->p;
            if (!read_field(c, 1, 2, 1, 12, &f.hour, NULL))
                return false;
            break;
        case 'a':
        case 'A':
            meridian = read_meridian(c);
            if (!meridian)
                return fail_at(c, c->p);
            break;
        case 'i':
            if (!read_field(c, 2, 2, 0, 59, &f.minute, NULL))
                return false;
            break;
        case 's':
            if (!read_field(c, 2, 2, 0, 59, &f.second, NULL))
                return false;
            break;
        case '!':
        case '|':
            break; /* "reset unset fields": always the case here */
        case '\\':
            if (q[1])
                q++;
            if (!expect_char(c, *q))
                return false;
            break;
        default:
            if (!expect_char(c, *q))
                return false;
            break;
        }
    }
    if (*c->p)
        return fail_at(c, c->p);
    if (meridian && !apply_meridian(c, &f, meridian, hour_at))
        return false;
    if (!check_calendar(c, &f))
        return false;
    if (!fields_to_unix(&f, out))
        return fail_at(c, c->start);
    return true;
}

int date_parse(const char *s, const char *php_format, long long *out, int *err_col)
{
    if (err_col)
        *err_col = 0;
    if (!s) {
        if (err_col)
            *err_col = 1;
        return -1;
    }
    int format_col = 0;
    if (php_format && *php_format) {
        cursor fc = {s, s, 0};
        if (parse_with_format(&fc, php_format, out))
            return 0;
        format_col = fc.err_col;
    }
    /* Grav falls back to PHP's free-form reading when the page's format
     * does not match. */
    cursor c = {s, s, 0};
    if (parse_free_form(&c, out))
        return 0;
    cursor named = {s, s, 0};
    if (parse_named_month(&named, out))
        return 0;
    if (err_col) {
        /* Report whichever reading got further: that is the one the author
         * most likely meant. */
        int col = c.err_col > format_col ? c.err_col : format_col;
        *err_col = col > 0 ? col : 1;
    }
    return -1;
}

/* -------------------------------------------------------------- writing */

enum { LANG_EN, LANG_RU, LANG_KK, LANG_COUNT };

static int lang_index(const char *lang)
{
    if (lang && !strcmp(lang, "ru"))
        return LANG_RU;
    if (lang && !strcmp(lang, "kk"))
        return LANG_KK;
    return LANG_EN;
}

/* A month on its own ("F Y") usually starts a heading, so it is
 * capitalised; after a day number it is part of a phrase and written in
 * lower case, and Russian then needs the genitive ("9 января"). */
static const char *const month_standalone[LANG_COUNT][12] = {
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"},
    {"Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь",
     "Ноябрь", "Декабрь"},
    {"Қаңтар", "Ақпан", "Наурыз", "Сәуір", "Мамыр", "Маусым", "Шілде", "Тамыз", "Қыркүйек", "Қазан",
     "Қараша", "Желтоқсан"},
};

static const char *const month_after_day[LANG_COUNT][12] = {
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"},
    {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
     "ноября", "декабря"},
    {"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан",
     "қараша", "желтоқсан"},
};

static const char *const month_short[LANG_COUNT][12] = {
    {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
    {"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
    {"қаң", "ақп", "нау", "сәу", "мам", "мау", "шіл", "там", "қыр", "қаз", "қар", "жел"},
};

/* Indexed by struct tm's tm_wday: Sunday first. */
static const char *const weekday_full[LANG_COUNT][7] = {
    {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
    {"Воскресенье", "Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота"},
    {"Жексенбі", "Дүйсенбі", "Сейсенбі", "Сәрсенбі", "Бейсенбі", "Жұма", "Сенбі"},
};

static const char *const weekday_short[LANG_COUNT][7] = {
    {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
    {"Вс", "Пн", "Вт", "Ср", "Чт", "Пт", "Сб"},
    {"Жс", "Дс", "Сс", "Ср", "Бс", "Жм", "Сн"},
};

static const char *english_ordinal_suffix(int day)
{
    if (day >= 11 && day <= 13)
        return "th";
    switch (day % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
    }
}

static int iso_weeks_in_year(long long y)
{
    long long p = (y + y / 4 - y / 100 + y / 400) % 7;
    long long prev = ((y - 1) + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400) % 7;
    return p == 4 || prev == 3 ? 53 : 52;
}

/* ISO 8601 week number and the year that week belongs to. */
static void iso_week(const struct tm *tm, int *week, long long *year)
{
    long long y = tm->tm_year + 1900LL;
    int weekday = tm->tm_wday == 0 ? 7 : tm->tm_wday;
    int w = (tm->tm_yday + 1 - weekday + 10) / 7;
    if (w < 1) {
        y--;
        w = iso_weeks_in_year(y);
    } else if (w > iso_weeks_in_year(y)) {
        y++;
        w = 1;
    }
    *week = w;
    *year = y;
}

/* A number with at least min_digits digits (zero-padded), as "%0*lld"
 * would print it; dates are formatted for every page of a build, and
 * printf is costly for two digits. */
static void put_num(buf *out, long long v, int min_digits)
{
    char tmp[24];
    int n = 0;
    bool neg = v < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n < min_digits) tmp[n++] = '0';
    if (neg) buf_putc(out, '-');
    buf_grow(out, (size_t)n);
    while (n) out->s[out->len++] = tmp[--n];
    out->s[out->len] = 0;
}

static void put_year(buf *out, long long y)
{
    put_num(out, y, 4);
}

static void put_offset(buf *out, long offset, bool with_colon)
{
    char sign = offset < 0 ? '-' : '+';
    long a = offset < 0 ? -offset : offset;
    buf_putc(out, sign);
    put_num(out, a / 3600, 2);
    if (with_colon) buf_putc(out, ':');
    put_num(out, a / 60 % 60, 2);
}

static const char *zone_name(void)
{
    const char *tz = getenv("TZ");
    if (!tz || !*tz)
        return "UTC";
    return *tz == ':' ? tz + 1 : tz;
}

static void format_tm(buf *out, const char *php_format, long long t, int li);

/* Pages show the same few dates again and again (a sidebar of the latest
 * posts on every page), so each thread keeps its recent results: short
 * formats and results only, stored inline, forgotten when the time zone
 * changes. */
#define FORMAT_CACHE 128
#define FORMAT_MAX 24
#define FORMATTED_MAX 64

typedef struct format_entry {
    unsigned generation; /* 0: empty */
    int lang;
    long long t;
    char format[FORMAT_MAX];
    char text[FORMATTED_MAX];
    unsigned char len;
} format_entry;

static _Thread_local format_entry format_cache[FORMAT_CACHE];

void date_format(buf *out, const char *php_format, long long t, const char *lang)
{
    if (!php_format)
        return;
    if (t > MAX_UNIX_SECONDS || t < MIN_UNIX_SECONDS)
        t = 0;
    int li = lang_index(lang);
    size_t fl = strlen(php_format);
    if (fl >= FORMAT_MAX) {
        format_tm(out, php_format, t, li);
        return;
    }
    unsigned long long h = (unsigned long long)t * 0x9E3779B97F4A7C15ULL ^ (unsigned long long)li;
    for (size_t i = 0; i < fl; i++)
        h = (h ^ (unsigned char)php_format[i]) * 0x100000001B3ULL;
    h ^= h >> 31; /* splitmix64's finish: every input bit reaches the slot bits */
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    format_entry *e = &format_cache[(h >> 40) % FORMAT_CACHE];
    unsigned gen = atomic_load(&zone_generation);
    if (e->generation == gen && e->t == t && e->lang == li && !strcmp(e->format, php_format)) {
        buf_add(out, e->text, e->len);
        return;
    }
    size_t start = out->len;
    format_tm(out, php_format, t, li);
    size_t n = out->len - start;
    if (n < FORMATTED_MAX) {
        e->generation = gen;
        e->t = t;
        e->lang = li;
        memcpy(e->format, php_format, fl + 1);
        if (n) memcpy(e->text, out->s + start, n);
        e->len = (unsigned char)n;
    }
}

static void format_tm(buf *out, const char *php_format, long long t, int li)
{
    struct tm tm;
    local_tm(t, &tm);
    long long year = tm.tm_year + 1900LL;
    int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
    bool follows_day = false; /* a day number came last, bar spaces */
    for (const char *p = php_format; *p; p++) {
        bool followed_day = follows_day;
        follows_day = false;
        switch (*p) {
        case 'd': put_num(out, tm.tm_mday, 2); follows_day = true; break;
        case 'j': put_num(out, tm.tm_mday, 1); follows_day = true; break;
        case 'D': buf_puts(out, weekday_short[li][tm.tm_wday]); break;
        case 'l': buf_puts(out, weekday_full[li][tm.tm_wday]); break;
        case 'N': put_num(out, tm.tm_wday == 0 ? 7 : tm.tm_wday, 1); break;
        case 'S':
            /* Ordinal suffixes exist only in English; "jS F" still reads
             * as a day followed by its month. */
            if (li == LANG_EN)
                buf_puts(out, english_ordinal_suffix(tm.tm_mday));
            follows_day = followed_day;
            break;
        case 'w': put_num(out, tm.tm_wday, 1); break;
        case 'z': put_num(out, tm.tm_yday, 1); break;
        case 'W': {
            int week;
            long long week_year;
            iso_week(&tm, &week, &week_year);
            put_num(out, week, 2);
            break;
        }
        case 'o': {
            int week;
            long long week_year;
            iso_week(&tm, &week, &week_year);
            put_year(out, week_year);
            break;
        }
        case 'F':
            buf_puts(out, (followed_day ? month_after_day : month_standalone)[li][tm.tm_mon]);
            break;
        case 'M':
            buf_puts(out, li == LANG_RU && followed_day && tm.tm_mon == 4 ? "мая" : month_short[li][tm.tm_mon]);
            break;
        case 'm': put_num(out, tm.tm_mon + 1, 2); break;
        case 'n': put_num(out, tm.tm_mon + 1, 1); break;
        case 't': put_num(out, days_in_month(year, tm.tm_mon + 1), 1); break;
        case 'L': buf_putc(out, is_leap_year(year) ? '1' : '0'); break;
        case 'Y': put_year(out, year); break;
        case 'y': put_num(out, (year % 100 + 100) % 100, 2); break;
        case 'a': buf_puts(out, tm.tm_hour < 12 ? "am" : "pm"); break;
        case 'A': buf_puts(out, tm.tm_hour < 12 ? "AM" : "PM"); break;
        case 'g': put_num(out, hour12, 1); break;
        case 'G': put_num(out, tm.tm_hour, 1); break;
        case 'h': put_num(out, hour12, 2); break;
        case 'H': put_num(out, tm.tm_hour, 2); break;
        case 'i': put_num(out, tm.tm_min, 2); break;
        case 's': put_num(out, tm.tm_sec, 2); break;
        case 'u': buf_puts(out, "000000"); break; /* Unix times are whole seconds */
        case 'v': buf_puts(out, "000"); break;
        case 'e': buf_puts(out, zone_name()); break;
        case 'T':
            if (tm.tm_zone && *tm.tm_zone)
                buf_puts(out, tm.tm_zone);
            else
                put_offset(out, tm.tm_gmtoff, true);
            break;
        case 'P': put_offset(out, tm.tm_gmtoff, true); break;
        case 'O': put_offset(out, tm.tm_gmtoff, false); break;
        case 'Z': put_num(out, (long long)tm.tm_gmtoff, 1); break;
        case 'c': date_format(out, "Y-m-d\\TH:i:sP", t, NULL); break;
        /* RFC 2822 is read by programs: always English. */
        case 'r': date_format(out, "D, d M Y H:i:s O", t, NULL); break;
        case 'U': put_num(out, t, 1); break;
        case '\\':
            if (p[1]) {
                p++;
                buf_putc(out, *p);
            }
            break;
        case ' ':
            buf_putc(out, ' ');
            follows_day = followed_day;
            break;
        default: buf_putc(out, *p); break;
        }
    }
}
