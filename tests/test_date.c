/* test_date.c - reading front-matter dates and writing them with PHP letters.
 *
 * Expected Unix times are worked out by hand: 2023-01-01 00:00 UTC is
 * 1672531200 (19358 days after the epoch), so 2023-01-09 10:00 in Almaty
 * (UTC+6 then) is 2023-01-09 04:00 UTC = 1672531200 + 8 * 86400 + 4 * 3600
 * = 1673236800, a Monday. */
#include "lib/date.h"
#include "test.h"

#include <stdio.h>

#define JAN9_2023_10AM_ALMATY 1673236800LL
#define JAN9_2023_MIDNIGHT_ALMATY (1673236800LL - 10 * 3600)

static void almaty(void)
{
    CHECK_INT(date_set_timezone("Asia/Almaty"), 0);
}

static long long parse_ok(const char *s, const char *format)
{
    long long t = -12345;
    int col = -1;
    int rc = date_parse(s, format, &t, &col);
    if (rc != 0)
        test_fail(__FILE__, __LINE__, "date_parse(\"%s\") failed at column %d", s, col);
    return t;
}

/* The column reported for s, or 0 when it unexpectedly parsed. */
static int parse_error_column(const char *s, const char *format)
{
    long long t = 0;
    int col = 0;
    if (date_parse(s, format, &t, &col) == 0)
        return 0;
    return col;
}

static char *formatted(const char *format, long long t, const char *lang)
{
    static char text[256];
    buf b = BUF_INIT;
    date_format(&b, format, t, lang);
    snprintf(text, sizeof text, "%s", buf_cstr(&b));
    buf_free(&b);
    return text;
}

TEST(every_form_real_front_matter_uses_reads_the_same_instant)
{
    almaty();
    static const char *const forms[] = {
        "09-01-2023 10:00",          /* dashes: day first */
        "9-1-2023 10:00",            /* without leading zeros */
        "2023-01-09 10:00",          /* year first */
        "2023-01-09 10:00:00",       /* with seconds */
        "10:00 09-01-2023",          /* time first */
        "01/09/2023 10:00",          /* slashes: month first */
        "09.01.2023 10:00",          /* dots: day first */
        "2023-01-09T10:00:00+06:00", /* ISO 8601 with offset */
        "2023-01-09T09:00:00+0500",  /* another offset, same instant */
        "2023-01-09T04:00:00Z",      /* UTC */
        "2023-01-09T04:00:00.250Z",  /* fraction of a second dropped */
        "@1673236800",               /* PHP's Unix-time form */
        "1673236800",                /* a bare integer */
        "  09-01-2023   10:00  ",    /* surrounding blanks */
        "2023-01-09T10:00:00",       /* ISO 8601 without offset: local */
        "01/09/2023 10:00 am",       /* Grav admin's "m/d/Y h:i a" */
        "10:00 AM 01/09/2023",       /* and "h:i a m/d/Y" */
        "01/09/2023 10:00a.m.",
        /* a month's name, as PHP's free-form reading takes it */
        "January 9, 2023 10:00",
        "Jan 9 2023 10:00",
        "9 January 2023 10:00",
        "09-Jan-2023 10:00",
        "Mon, 09 Jan 2023 04:00:00 +0000", /* e-mail's date */
        "Monday, 9 January 2023 10:00",
        "january 9th, 2023 10:00",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        long long t = parse_ok(forms[i], NULL);
        if (t != JAN9_2023_10AM_ALMATY)
            test_fail(__FILE__, __LINE__, "\"%s\" read as %lld", forms[i], t);
    }
}

/* "20230311" is 11 March 2023 for PHP (year, month and day without
 * separators), not a Unix time of 1970; a month's name alone on a day
 * reads as midnight, and a name that is no month is an error. */
TEST(eight_digits_and_named_months_read_as_php_reads_them)
{
    almaty();
    CHECK(parse_ok("20230109", NULL) == JAN9_2023_MIDNIGHT_ALMATY);
    CHECK(parse_ok("January 9, 2023", NULL) == JAN9_2023_MIDNIGHT_ALMATY);
    CHECK(parse_ok("Sept 1, 2023", NULL) > JAN9_2023_MIDNIGHT_ALMATY);
    CHECK(parse_error_column("Janvier 9, 2023", NULL) > 0);
    CHECK(parse_error_column("February 30, 2023", NULL) > 0);
    CHECK(parse_error_column("20231309", NULL) == 0); /* no such day: a Unix time, as before */
}

TEST(date_without_time_is_local_midnight)
{
    almaty();
    CHECK_INT(parse_ok("09-01-2023", NULL), JAN9_2023_MIDNIGHT_ALMATY);
    CHECK_INT(parse_ok("2023-01-09", NULL), JAN9_2023_MIDNIGHT_ALMATY);
    CHECK_INT(parse_ok("01/09/2023", NULL), JAN9_2023_MIDNIGHT_ALMATY);
    CHECK_INT(parse_ok("09.01.2023", NULL), JAN9_2023_MIDNIGHT_ALMATY);
}

TEST(slashes_are_month_first_and_dashes_day_first)
{
    almaty();
    /* 3 February vs 2 March 2023: 33 and 60 days after 1 January. */
    long long feb3 = 1672531200LL + 33 * 86400 - 6 * 3600;
    long long mar2 = 1672531200LL + 60 * 86400 - 6 * 3600;
    CHECK_INT(parse_ok("03-02-2023", NULL), feb3);
    CHECK_INT(parse_ok("03/02/2023", NULL), mar2);
}

TEST(almaty_was_utc_plus_6_in_2023_and_utc_plus_5_from_march_2024)
{
    almaty();
    CHECK_STR(formatted("P", JAN9_2023_10AM_ALMATY, NULL), "+06:00");
    /* 2024-11-15 10:00 local: 2024-01-01 is 1704067200, 15 November is
     * day 319 of the leap year, and UTC+5 makes it 05:00 UTC. */
    long long nov15_2024 = 1704067200LL + 319 * 86400 + 5 * 3600;
    CHECK_INT(parse_ok("15-11-2024 10:00", NULL), nov15_2024);
    CHECK_STR(formatted("d.m.Y H:i O", nov15_2024, NULL), "15.11.2024 10:00 +0500");
    /* The change itself: 29 February 2024 noon is still +06. */
    long long feb29_noon = parse_ok("29-02-2024 12:00", NULL);
    CHECK_INT(feb29_noon, 1704067200LL + 59 * 86400 + 6 * 3600);
    CHECK_STR(formatted("O", feb29_noon, NULL), "+0600");
    CHECK_STR(formatted("O", feb29_noon + 86400, NULL), "+0500");
    CHECK_INT(parse_ok("01-03-2024 00:00", NULL), 1704067200LL + 60 * 86400 - 5 * 3600);
}

TEST(times_without_zone_follow_the_configured_zone)
{
    CHECK_INT(date_set_timezone("UTC"), 0);
    CHECK_INT(parse_ok("2023-01-09 04:00", NULL), JAN9_2023_10AM_ALMATY);
    CHECK_STR(formatted("H:i e", JAN9_2023_10AM_ALMATY, NULL), "04:00 UTC");
    almaty();
    CHECK_STR(formatted("H:i e", JAN9_2023_10AM_ALMATY, NULL), "10:00 Asia/Almaty");
}

TEST(recently_formatted_dates_come_back_the_same)
{
    /* More instants, formats and languages than the per-thread memory of
     * recent results holds, twice over: every answer matches the first. */
    static const char *const formats[] = {"j F Y", "Y-m-d", "c", "D, d M Y H:i:s O"};
    static const char *const langs[] = {"kk", "ru", "en"};
    enum { N = 200 };
    static char first[N][4][3][256];
    almaty();
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < N; i++)
            for (int f = 0; f < 4; f++)
                for (int l = 0; l < 3; l++) {
                    const char *got = formatted(formats[f], JAN9_2023_10AM_ALMATY + (long long)i * 90061, langs[l]);
                    if (round == 0) snprintf(first[i][f][l], sizeof first[i][f][l], "%s", got);
                    else if (strcmp(first[i][f][l], got) != 0) CHECK_STR(got, first[i][f][l]);
                }
    CHECK_STR(first[0][0][1], "9 января 2023");
    CHECK_STR(first[0][0][0], "9 қаңтар 2023");
    CHECK_STR(first[0][0][2], "9 January 2023");
}

TEST(unknown_time_zone_is_refused_and_leaves_the_zone_alone)
{
    almaty();
    CHECK_INT(date_set_timezone("Mars/Olympus_Mons"), -1);
    CHECK_INT(date_set_timezone("../../etc/passwd"), -1);
    CHECK_INT(date_set_timezone("Asia"), -1); /* a directory, not a zone */
    CHECK_INT(date_set_timezone(""), -1);
    CHECK_STR(formatted("H:i e", JAN9_2023_10AM_ALMATY, NULL), "10:00 Asia/Almaty");
}

TEST(impossible_dates_are_errors_with_the_column_of_the_bad_field)
{
    almaty();
    CHECK_INT(parse_error_column("32-01-2023 10:00", NULL), 1);
    CHECK_INT(parse_error_column("09-13-2023 10:00", NULL), 4);
    CHECK_INT(parse_error_column("31-02-2023", NULL), 1);
    CHECK_INT(parse_error_column("29-02-2023", NULL), 1);
    CHECK_INT(parse_error_column("29-02-2024", NULL), 0); /* leap year: fine */
    CHECK_INT(parse_error_column("2023-13-01", NULL), 6);
    CHECK_INT(parse_error_column("2023-04-31", NULL), 9);
    CHECK_INT(parse_error_column("13/09/2023", NULL), 1);
    CHECK_INT(parse_error_column("09/31/2023", NULL), 4);
    CHECK_INT(parse_error_column("00-01-2023", NULL), 1);
}

TEST(bad_times_and_trailing_text_report_their_column)
{
    almaty();
    CHECK_INT(parse_error_column("2023-01-09 25:00", NULL), 12);
    CHECK_INT(parse_error_column("2023-01-09 10:60", NULL), 15);
    CHECK_INT(parse_error_column("2023-01-09 10:00:61", NULL), 18);
    CHECK_INT(parse_error_column("09-01-2023 10:00 tomorrow", NULL), 18);
    CHECK_INT(parse_error_column("2023-01-09T", NULL), 12);
    CHECK_INT(parse_error_column("09-01-23", NULL), 7); /* years have four digits */
    CHECK_INT(parse_error_column("yesterday", NULL), 1);
    CHECK_INT(parse_error_column("", NULL), 1);
    CHECK_INT(parse_error_column("   ", NULL), 4);
    CHECK_INT(parse_error_column("99999999999999999999", NULL), 1);
    long long t = 7;
    int col = 0;
    CHECK_INT(date_parse(NULL, NULL, &t, &col), -1);
    CHECK_INT(col, 1);
    CHECK_INT(t, 7); /* left alone on failure */
}

TEST(twelve_hour_times_follow_am_and_pm)
{
    almaty();
    CHECK_INT(parse_ok("01/09/2023 12:00 am", NULL), JAN9_2023_MIDNIGHT_ALMATY);
    CHECK_INT(parse_ok("01/09/2023 12:30 pm", NULL), JAN9_2023_MIDNIGHT_ALMATY + 12 * 3600 + 1800);
    CHECK_INT(parse_ok("01/09/2023 3:15 PM", NULL), JAN9_2023_MIDNIGHT_ALMATY + 15 * 3600 + 900);
    CHECK_INT(parse_ok("01/09/2023 10:00 pm", "m/d/Y h:i a"), JAN9_2023_MIDNIGHT_ALMATY + 22 * 3600);
    CHECK_INT(parse_ok("12:05 AM 01/09/2023", "h:i A m/d/Y"), JAN9_2023_MIDNIGHT_ALMATY + 300);
    /* A 24-hour reading cannot also be am or pm. */
    CHECK_INT(parse_error_column("01/09/2023 13:00 pm", NULL), 12);
    CHECK_INT(parse_error_column("01/09/2023 10:00 amber", NULL), 18);
}

TEST(page_dateformat_is_tried_before_the_free_form)
{
    almaty();
    /* Free-form, 01-09-2023 is 1 September; the page says month first. */
    CHECK_INT(parse_ok("01-09-2023 10:00", "m-d-Y H:i"), JAN9_2023_10AM_ALMATY);
    CHECK(parse_ok("01-09-2023 10:00", NULL) != JAN9_2023_10AM_ALMATY);
    /* And slashes, free-form month first, can be day first by format. */
    CHECK_INT(parse_ok("09/01/2023", "d/m/Y"), JAN9_2023_MIDNIGHT_ALMATY);
    CHECK_INT(parse_ok("9/1/2023 10:00", "j/n/Y G:i"), JAN9_2023_10AM_ALMATY);
    CHECK_INT(parse_ok("09.01.23", "d.m.y"), JAN9_2023_MIDNIGHT_ALMATY);
    CHECK_INT(parse_ok("Day 09.01.2023 10:00:00", "\\D\\a\\y d.m.Y H:i:s"), JAN9_2023_10AM_ALMATY);
}

TEST(text_not_matching_dateformat_falls_back_to_free_form)
{
    almaty();
    CHECK_INT(parse_ok("2023-01-09 10:00", "d/m/Y H:i"), JAN9_2023_10AM_ALMATY);
    /* Both readings fail: the column is from the reading that got further. */
    CHECK_INT(parse_error_column("31/02/2023 10:00", "d/m/Y H:i"), 1);
    CHECK_INT(parse_error_column("09/01/2023 10:61", "d/m/Y H:i"), 15);
    CHECK_INT(parse_error_column("09-01-2023 10:00x", "d-m-Y H:i"), 17);
}

TEST(php_letters_give_the_values_worked_out_by_hand)
{
    almaty();
    long long t = JAN9_2023_10AM_ALMATY;
    CHECK_STR(formatted("D, d M Y H:i:s O", t, NULL), "Mon, 09 Jan 2023 10:00:00 +0600");
    CHECK_STR(formatted("l j F Y", t, "en"), "Monday 9 January 2023");
    CHECK_STR(formatted("N w z t L", t, NULL), "1 1 8 31 0");
    CHECK_STR(formatted("n m y", t, NULL), "1 01 23");
    CHECK_STR(formatted("u v Z T", t, NULL), "000000 000 21600 +06");
    /* 15:05:07 the same day. */
    long long afternoon = t + 5 * 3600 + 5 * 60 + 7;
    CHECK_STR(formatted("g h G H i s a A", afternoon, NULL), "3 03 15 15 05 07 pm PM");
    long long midnight = JAN9_2023_MIDNIGHT_ALMATY;
    CHECK_STR(formatted("g h a", midnight, NULL), "12 12 am");
    CHECK_STR(formatted("L t", parse_ok("2024-02-10", NULL), NULL), "1 29");
}

TEST(ordinal_suffixes_are_english)
{
    almaty();
    CHECK_STR(formatted("jS", parse_ok("2023-01-01 12:00", NULL), NULL), "1st");
    CHECK_STR(formatted("jS", parse_ok("2023-01-02 12:00", NULL), NULL), "2nd");
    CHECK_STR(formatted("jS", parse_ok("2023-01-03 12:00", NULL), NULL), "3rd");
    CHECK_STR(formatted("jS", parse_ok("2023-01-11 12:00", NULL), NULL), "11th");
    CHECK_STR(formatted("jS", parse_ok("2023-01-12 12:00", NULL), NULL), "12th");
    CHECK_STR(formatted("jS", parse_ok("2023-01-22 12:00", NULL), NULL), "22nd");
    CHECK_STR(formatted("jS F", parse_ok("2023-01-22 12:00", NULL), "ru"), "22 января");
}

TEST(iso_week_and_week_year_cross_year_ends)
{
    almaty();
    /* 1 January 2023 is a Sunday: the last ISO week of 2022. */
    CHECK_STR(formatted("W o", parse_ok("2023-01-01 12:00", NULL), NULL), "52 2022");
    CHECK_STR(formatted("W o", JAN9_2023_10AM_ALMATY, NULL), "02 2023");
    /* 2020 has 53 ISO weeks (it starts on a Wednesday and is a leap year). */
    CHECK_STR(formatted("W o", parse_ok("2021-01-03 12:00", NULL), NULL), "53 2020");
    /* Monday 30 December 2024 opens week 1 of 2025. */
    CHECK_STR(formatted("W o Y", parse_ok("2024-12-30 12:00", NULL), NULL), "01 2025 2024");
}

TEST(c_r_and_u_are_whole_formats)
{
    almaty();
    long long t = JAN9_2023_10AM_ALMATY;
    CHECK_STR(formatted("c", t, NULL), "2023-01-09T10:00:00+06:00");
    CHECK_STR(formatted("r", t, NULL), "Mon, 09 Jan 2023 10:00:00 +0600");
    /* RFC 2822 is for programs and stays English in every language. */
    CHECK_STR(formatted("r", t, "ru"), "Mon, 09 Jan 2023 10:00:00 +0600");
    CHECK_STR(formatted("U", t, NULL), "1673236800");
    /* What c writes reads back to the same instant. */
    CHECK_INT(parse_ok(formatted("c", t, NULL), NULL), t);
}

TEST(backslash_escapes_letters_and_other_bytes_pass_through)
{
    almaty();
    long long t = JAN9_2023_10AM_ALMATY;
    CHECK_STR(formatted("\\Y\\m\\d: Y", t, NULL), "Ymd: 2023");
    CHECK_STR(formatted("\\\\Y", t, NULL), "\\2023");
    CHECK_STR(formatted("Y г.", t, "ru"), "2023 г.");
    CHECK_STR(formatted("Y\\", t, NULL), "2023");
    CHECK_STR(formatted("", t, NULL), "");
}

TEST(day_and_month_in_russian_use_the_genitive)
{
    almaty();
    long long t = JAN9_2023_10AM_ALMATY;
    CHECK_STR(formatted("j F Y", t, "ru"), "9 января 2023");
    CHECK_STR(formatted("d F Y, H:i", t, "ru"), "09 января 2023, 10:00");
    CHECK_STR(formatted("F Y", t, "ru"), "Январь 2023");
    CHECK_STR(formatted("l, j F", t, "ru"), "Понедельник, 9 января");
    CHECK_STR(formatted("D", t, "ru"), "Пн");
    long long may25 = parse_ok("25-05-2024 10:00", NULL);
    CHECK_STR(formatted("j M", may25, "ru"), "25 мая");
    CHECK_STR(formatted("M", may25, "ru"), "май");
    CHECK_STR(formatted("j F", may25, "ru"), "25 мая");
    CHECK_STR(formatted("j.m F", may25, "ru"), "25.05 Май");
}

TEST(kazakh_months_and_weekdays)
{
    almaty();
    long long t = JAN9_2023_10AM_ALMATY;
    CHECK_STR(formatted("j F Y", t, "kk"), "9 қаңтар 2023");
    CHECK_STR(formatted("F Y", t, "kk"), "Қаңтар 2023");
    CHECK_STR(formatted("l", t, "kk"), "Дүйсенбі");
    CHECK_STR(formatted("j M", t, "kk"), "9 қаң");
    static const char *const months[12] = {"қаңтар", "ақпан",  "наурыз", "сәуір",    "мамыр", "маусым",
                                           "шілде",  "тамыз",  "қыркүйек", "қазан", "қараша", "желтоқсан"};
    for (int m = 1; m <= 12; m++) {
        char date[32], expected[64];
        snprintf(date, sizeof date, "15-%02d-2023 12:00", m);
        snprintf(expected, sizeof expected, "15 %s 2023", months[m - 1]);
        CHECK_STR(formatted("j F Y", parse_ok(date, NULL), "kk"), expected);
    }
}

TEST(english_is_the_default_language)
{
    almaty();
    long long t = JAN9_2023_10AM_ALMATY;
    CHECK_STR(formatted("j F Y", t, "en"), "9 January 2023");
    CHECK_STR(formatted("j F Y", t, NULL), "9 January 2023");
    CHECK_STR(formatted("j F Y", t, "de"), "9 January 2023");
}

TEST(summer_and_winter_time_follow_the_zone_rules)
{
    CHECK_INT(date_set_timezone("Europe/Berlin"), 0);
    long long t;
    CHECK_INT(date_parse("2023-07-01 12:00", NULL, &t, NULL), 0);
    CHECK_INT(t, 1688205600LL); /* 10:00 UTC, summer time */
    CHECK_INT(date_parse("2023-01-01 12:00", NULL, &t, NULL), 0);
    CHECK_INT(t, 1672570800LL); /* 11:00 UTC, winter time */
    buf b = BUF_INIT;
    date_format(&b, "Y-m-d H:i T P", 1688205600LL, "en");
    CHECK_STR(buf_cstr(&b), "2023-07-01 12:00 CEST +02:00");
    buf_reset(&b);
    /* the hour after the autumn change is the second 02:xx of the night */
    date_format(&b, "H:i P", 1698541200LL, "en");
    CHECK_STR(buf_cstr(&b), "02:00 +01:00");
    buf_free(&b);
    CHECK_INT(date_set_timezone("Asia/Almaty"), 0);
    /* the per-thread cache is refilled for the new zone */
    CHECK_INT(date_parse("2023-07-01 12:00", NULL, &t, NULL), 0);
    CHECK_INT(t, 1688191200LL); /* 06:00 UTC at +06 */
}
