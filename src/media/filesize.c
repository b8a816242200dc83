/* filesize.c - human-readable download sizes (see filesize.h). */
#include "media/filesize.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool uses_cyrillic_units(const char *lang)
{
    return lang && (strcmp(lang, "ru") == 0 || strcmp(lang, "kk") == 0);
}

void file_size_label(buf *b, const char *name, unsigned long long bytes, const char *lang)
{
    static const char *const latin[] = {"B", "KB", "MB", "GB", "TB"};
    static const char *const cyrillic[] = {"Б", "КБ", "МБ", "ГБ", "ТБ"};
    bool is_cyrillic = uses_cyrillic_units(lang);
    const char *const *units = is_cyrillic ? cyrillic : latin;

    const char *base = name ? strrchr(name, '/') : NULL;
    base = base ? base + 1 : name;
    const char *dot = base ? strrchr(base, '.') : NULL;
    if (dot && dot != base && dot[1]) {
        for (const char *p = dot + 1; *p; p++) buf_putc(b, (char)toupper((unsigned char)*p));
        buf_puts(b, ", ");
    }
    if (bytes < 1024) {
        buf_printf(b, "%llu %s", bytes, units[0]);
        return;
    }
    /* Work in tenths of the unit so rounding can carry into the next unit. */
    size_t unit = 0;
    double value = (double)bytes;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        unit++;
    }
    unsigned long long tenths = (unsigned long long)(value * 10 + 0.5);
    if (tenths >= 100) tenths = (tenths + 5) / 10 * 10; /* whole units from 10 up */
    if (tenths >= 10240 && unit < 4) {
        tenths = 10;
        unit++;
    }
    if (tenths < 100 && tenths % 10)
        buf_printf(b, "%llu%c%llu %s", tenths / 10, is_cyrillic ? ',' : '.', tenths % 10, units[unit]);
    else
        buf_printf(b, "%llu %s", tenths / 10, units[unit]);
}
