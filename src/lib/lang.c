/* lang.c - languages' names in themselves. */
#include "lib/lang.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sorted by code, which bsearch needs; written as their speakers write
 * them, capitalised as a menu entry is. */
static const struct lang_name {
    const char *code, *name;
} names[] = {
    {"ar", "العربية"},        {"az", "Azərbaycanca"},     {"be", "Беларуская"},      {"bg", "Български"},
    {"cs", "Čeština"},         {"da", "Dansk"},            {"de", "Deutsch"},         {"el", "Ελληνικά"},
    {"en", "English"},         {"es", "Español"},          {"et", "Eesti"},           {"fa", "فارسی"},
    {"fi", "Suomi"},           {"fr", "Français"},         {"he", "עברית"},           {"hi", "हिन्दी"},
    {"hr", "Hrvatski"},        {"hu", "Magyar"},           {"hy", "Հայերեն"},         {"id", "Bahasa Indonesia"},
    {"it", "Italiano"},        {"ja", "日本語"},           {"ka", "ქართული"},         {"kk", "Қазақша"},
    {"ko", "한국어"},          {"ky", "Кыргызча"},         {"lt", "Lietuvių"},        {"lv", "Latviešu"},
    {"mn", "Монгол"},          {"ms", "Bahasa Melayu"},    {"nb", "Norsk bokmål"},    {"nl", "Nederlands"},
    {"nn", "Norsk nynorsk"},   {"no", "Norsk"},            {"pl", "Polski"},          {"pt", "Português"},
    {"pt-br", "Português (Brasil)"}, {"ro", "Română"},     {"ru", "Русский"},         {"sk", "Slovenčina"},
    {"sl", "Slovenščina"},     {"sr", "Српски"},           {"sv", "Svenska"},         {"tg", "Тоҷикӣ"},
    {"th", "ไทย"},             {"tk", "Türkmençe"},        {"tr", "Türkçe"},          {"uk", "Українська"},
    {"uz", "Oʻzbekcha"},       {"vi", "Tiếng Việt"},       {"zh", "中文"},            {"zh-cn", "简体中文"},
    {"zh-tw", "繁體中文"},
};

static int by_code(const void *key, const void *entry)
{
    return strcasecmp(key, ((const struct lang_name *)entry)->code);
}

static const char *find(const char *code)
{
    const struct lang_name *n = bsearch(code, names, sizeof names / sizeof names[0], sizeof names[0], by_code);
    return n ? n->name : NULL;
}

const char *lang_native_name(const char *code)
{
    if (!code || !*code) return NULL;
    char base[16];
    size_t n = strcspn(code, "-_");
    if (code[n] == '_' && n + 1 < sizeof base) { /* "pt_BR" is written "pt-br" here */
        char dashed[16];
        size_t len = strlen(code);
        if (len < sizeof dashed) {
            memcpy(dashed, code, len + 1);
            dashed[n] = '-';
            const char *name = find(dashed);
            if (name) return name;
        }
    }
    const char *name = find(code);
    if (name || !code[n] || n >= sizeof base) return name;
    memcpy(base, code, n);
    base[n] = 0;
    return find(base);
}
