/* gen_site.c - writes a synthetic Grav user/ folder to benchmark builds.
 *
 * Usage: gen_site N OUTDIR
 *
 * OUTDIR becomes the user/ folder (OUTDIR/config, OUTDIR/pages): N news
 * posts in Kazakh, Russian and English shaped like the Hematology Center's
 * real posts (same front matter, a summary split by `===`, about 4 KB of
 * Markdown with headings, lists, links and emphasis), a home page and the
 * news blog page listing them. The text is word salad from small word
 * lists, but in the right scripts, so that UTF-8 handling costs what it
 * costs on the real site. A fixed-seed generator per post makes every run
 * write the same bytes, and post i the same whatever N is. */
#include "lib/buf.h"
#include "lib/date.h"
#include "lib/files.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_TARGET_BYTES 4096
#define MAX_POSTS 1000000

enum { KK, RU, EN, LANGS };
static const char *const lang_code[LANGS] = {"kk", "ru", "en"};

static const char *const words_kk[] = {
    "орталығы", "гематология", "дәрігерлер", "пациенттер", "емдеу", "диагностика", "конференция",
    "мамандар", "тәжірибе", "бағдарлама", "қан", "зерттеу", "клиника", "денсаулық", "медициналық",
    "бөлімше", "көмек", "аурулар", "нәтижелер", "әдістер", "заманауи", "зертхана", "талдау", "донор",
    "донорлық", "трансплантация", "сүйек", "кемігі", "терапия", "қызметкерлер", "әріптестер", "оқыту",
    "семинар", "шеберлік", "сыныбы", "жылы", "облысы", "қаласы", "Қазақстан", "Алматы", "Астана",
    "Қарағанды", "жаңа", "маңызды", "табысты", "өткізді", "қатысты", "талқылады", "мәселелер",
    "сапасы", "қызмет", "жұмыс", "даму", "стандарттар", "халықаралық", "серіктестер", "университет",
    "профессор", "баяндама", "жағдайлар", "клиникалық", "ұсыныстар", "хаттамалар", "отбасылар",
    "қолдау", "назар", "сондай-ақ", "және", "мен", "үшін", "бойынша", "туралы", "кейін", "бірге",
    "барлық", "көп", "біздің", "үлкен", "алғашқы", "күрделі", "тиімді", "онкогематология", "лейкоз",
    "лимфома", "анемия", "гемофилия", "химиотерапия", "биопсия", "цитометрия", "генетика",
    "молекулалық", "технологиялар", "жабдық", "филиал", "директор", "басқарма", "кездесу", "сапар",
    "делегация", "форум", "ынтымақтастық", "өңірлер", "ғылыми", "білім", "тәжірибелік", "өмір",
};

static const char *const words_ru[] = {
    "центр", "гематологии", "врачи", "пациенты", "лечение", "диагностика", "конференция",
    "специалисты", "опыт", "программа", "крови", "исследование", "клиника", "здоровья",
    "медицинский", "отделение", "помощь", "заболевания", "результаты", "методы", "современные",
    "лаборатория", "анализ", "донор", "донорство", "трансплантация", "костного", "мозга", "терапия",
    "сотрудники", "коллеги", "обучение", "семинар", "мастер-класс", "года", "области", "города",
    "Казахстана", "Алматы", "Астаны", "Караганды", "новые", "важные", "успешно", "провели", "приняли",
    "участие", "обсудили", "вопросы", "качества", "услуг", "работы", "развития", "стандарты",
    "международный", "партнёры", "университет", "профессор", "доклад", "случаи", "клинические",
    "рекомендации", "протоколы", "пациентов", "семей", "поддержка", "внимание", "также", "который",
    "были", "после", "для", "при", "в", "на", "с", "и", "по", "о", "из", "к", "что", "это", "всех",
    "более", "наших", "больших", "первых", "сложных", "эффективные", "онкогематологии", "лейкоз",
    "лимфома", "анемия", "гемофилия", "химиотерапия", "биопсия", "цитометрия", "генетика",
    "молекулярные", "технологии", "оборудование", "филиал", "директор", "правление", "встреча",
    "визит", "делегация", "форум", "сотрудничество", "жизнь",
};

static const char *const words_en[] = {
    "center", "hematology", "doctors", "patients", "treatment", "diagnostics", "conference",
    "specialists", "experience", "program", "blood", "research", "clinic", "health", "medical",
    "department", "care", "diseases", "results", "methods", "modern", "laboratory", "analysis",
    "donor", "donation", "transplantation", "bone", "marrow", "therapy", "staff", "colleagues",
    "training", "seminar", "master", "class", "year", "region", "city", "Kazakhstan", "Almaty",
    "Astana", "Karaganda", "new", "important", "successfully", "held", "took", "part", "discussed",
    "questions", "quality", "services", "work", "development", "standards", "international",
    "partners", "university", "professor", "report", "cases", "clinical", "guidelines", "protocols",
    "families", "support", "attention", "also", "and", "with", "for", "of", "in", "on", "about",
    "after", "together", "all", "many", "our", "large", "first", "complex", "effective",
    "oncohematology", "leukemia", "lymphoma", "anemia", "hemophilia", "chemotherapy", "biopsy",
    "cytometry", "genetics", "molecular", "technologies", "equipment", "branch", "director", "board",
    "meeting", "visit", "delegation", "forum", "cooperation", "the", "a", "to", "was", "were",
};

static const char *const *const words[LANGS] = {words_kk, words_ru, words_en};
static const size_t word_count[LANGS] = {
    sizeof words_kk / sizeof *words_kk, sizeof words_ru / sizeof *words_ru,
    sizeof words_en / sizeof *words_en};

static const char *const news_title[LANGS] = {"Жаңалықтар", "Новости", "News"};
static const char *const home_title[LANGS] = {"Басты бет", "Главная", "Home"};
static const char *const site_title = "Гематология орталығы";

/* splitmix64: tiny, fast, and good enough to pick words. */
typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned rng_below(rng *r, unsigned n)
{
    return (unsigned)(rng_next(r) % n);
}

static rng rng_for(unsigned post, unsigned stream)
{
    rng r = {0x5EED0F011000ULL ^ ((uint64_t)post << 8) ^ stream};
    rng_next(&r);
    return r;
}

static const char *random_word(rng *r, int lang)
{
    return words[lang][rng_below(r, (unsigned)word_count[lang])];
}

/* Upper-case the first letter of a word: ASCII, Russian and the Kazakh
 * letters of the Cyrillic supplement (where capitals are the even code
 * points just before their lower-case letters). */
static void put_capitalised(buf *b, const char *w)
{
    const unsigned char *u = (const unsigned char *)w;
    if (u[0] >= 'a' && u[0] <= 'z') {
        buf_putc(b, (char)(u[0] - 32));
        buf_puts(b, w + 1);
        return;
    }
    if ((u[0] & 0xE0) != 0xC0 || (u[1] & 0xC0) != 0x80) {
        buf_puts(b, w);
        return;
    }
    unsigned cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    if (cp >= 0x430 && cp <= 0x44F)
        cp -= 0x20;
    else if (cp >= 0x450 && cp <= 0x45F)
        cp -= 0x50;
    else if (((cp >= 0x490 && cp <= 0x4BF) || (cp >= 0x4D0 && cp <= 0x4FF)) && (cp & 1))
        cp -= 1;
    buf_putc(b, (char)(0xC0 | (cp >> 6)));
    buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    buf_puts(b, w + 2);
}

/* One sentence of 6..16 words with the odd emphasis and link. */
static void put_sentence(buf *b, rng *r, int lang, const char *slug)
{
    unsigned n = 6 + rng_below(r, 11);
    for (unsigned i = 0; i < n; i++) {
        const char *w = random_word(r, lang);
        if (i > 0)
            buf_putc(b, ' ');
        unsigned roll = rng_below(r, 60);
        if (i == 0) {
            put_capitalised(b, w);
        } else if (roll < 4) {
            buf_printf(b, "*%s*", w);
        } else if (roll < 6) {
            buf_printf(b, "**%s**", w);
        } else if (roll == 6 && i + 2 < n) {
            buf_printf(b, "[%s %s](https://example.kz/%s/%s-%u)", w, random_word(r, lang),
                       lang_code[lang], slug, i);
            i++;
        } else {
            buf_puts(b, w);
        }
        if (i + 1 < n && rng_below(r, 12) == 0)
            buf_putc(b, ',');
    }
    buf_puts(b, ".");
}

static void put_paragraph(buf *b, rng *r, int lang, const char *slug, unsigned sentences)
{
    for (unsigned i = 0; i < sentences; i++) {
        if (i > 0)
            buf_putc(b, ' ');
        put_sentence(b, r, lang, slug);
    }
    buf_puts(b, "\n\n");
}

static void put_words(buf *b, rng *r, int lang, unsigned n, bool capitalise)
{
    for (unsigned i = 0; i < n; i++) {
        if (i > 0)
            buf_putc(b, ' ');
        if (i == 0 && capitalise)
            put_capitalised(b, random_word(r, lang));
        else
            buf_puts(b, random_word(r, lang));
    }
}

/* The body after the front matter: a summary, `===`, then sections. */
static void put_body(buf *b, rng *r, int lang, const char *slug)
{
    size_t start = b->len;
    put_paragraph(b, r, lang, slug, 2 + rng_below(r, 2));
    buf_puts(b, "===\n\n");
    for (unsigned block = 0; b->len - start < BODY_TARGET_BYTES; block++) {
        switch (block % 6) {
        case 0:
            buf_puts(b, block % 12 == 0 ? "## " : "### ");
            put_words(b, r, lang, 3 + rng_below(r, 4), true);
            buf_puts(b, "\n\n");
            break;
        case 2:
        case 4: {
            unsigned items = 3 + rng_below(r, 3);
            for (unsigned i = 0; i < items; i++) {
                if (block % 6 == 2)
                    buf_puts(b, "- ");
                else
                    buf_printf(b, "%u. ", i + 1);
                put_words(b, r, lang, 3 + rng_below(r, 8), true);
                buf_putc(b, '\n');
            }
            buf_putc(b, '\n');
            break;
        }
        case 5:
            if (rng_below(r, 3) == 0) {
                buf_puts(b, "> ");
                put_sentence(b, r, lang, slug);
                buf_puts(b, "\n\n");
                break;
            }
            /* fall through */
        default:
            put_paragraph(b, r, lang, slug, 3 + rng_below(r, 4));
            break;
        }
    }
}

/* A YAML single-quoted scalar: quotes are doubled. */
static void put_yaml_quoted(buf *b, const char *s)
{
    buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_putc(b, '\'');
        buf_putc(b, *s);
    }
    buf_putc(b, '\'');
}

static bool write_text(const char *dir, const char *name, const buf *text)
{
    char *path = path_join(dir, name);
    int rc = file_write(path, text->s, text->len);
    if (rc != 0)
        fprintf(stderr, "gen_site: cannot write %s: %s\n", path, strerror(errno));
    free(path);
    return rc == 0;
}

static bool make_dir(const char *path)
{
    if (dir_make(path) == 0)
        return true;
    fprintf(stderr, "gen_site: cannot create %s: %s\n", path, strerror(errno));
    return false;
}

/* Post 0 is the newest; three posts a day going back from mid-2025, at
 * 09:00, 12:00 and 15:00 (times are written in the site's zone). */
static long long post_time(unsigned post)
{
    const long long newest_day = 1751241600LL; /* 2025-06-30 00:00 UTC */
    return newest_day - (long long)(post / 3) * 86400 + (9 + 3 * (post % 3)) * 3600;
}

static bool write_post(const char *news_dir, unsigned post, int prefix_width, size_t *bytes)
{
    long long t = post_time(post);
    buf date = BUF_INIT, slug = BUF_INIT, dir_name = BUF_INIT, text = BUF_INIT;
    date_format(&date, "d-m-Y H:i", t, NULL);
    rng slug_rng = rng_for(post, 99);
    date_format(&slug, "Y-m-d", t, NULL);
    buf_printf(&slug, "-%s-%s-%u", random_word(&slug_rng, EN), random_word(&slug_rng, EN), post);
    for (size_t i = 0; i < slug.len; i++)
        if (slug.s[i] >= 'A' && slug.s[i] <= 'Z')
            slug.s[i] = (char)(slug.s[i] + 32);
    buf_printf(&dir_name, "%0*u.%s", prefix_width, post + 1, buf_cstr(&slug));
    char *dir = path_join(news_dir, buf_cstr(&dir_name));
    bool ok = make_dir(dir);
    for (int lang = 0; ok && lang < LANGS; lang++) {
        rng r = rng_for(post, (unsigned)lang);
        buf title = BUF_INIT;
        put_words(&title, &r, lang, 4 + rng_below(&r, 6), true);
        buf_reset(&text);
        buf_puts(&text, "---\ntitle: ");
        put_yaml_quoted(&text, buf_cstr(&title));
        buf_printf(&text,
                   "\npublished: true\ndate: '%s'\npublish_date: '%s'\nhide_page_title: false\n"
                   "show_sidebar: true\nhide_from_post_list: false\ncontinue_link: true\n---\n\n",
                   buf_cstr(&date), buf_cstr(&date));
        put_body(&text, &r, lang, buf_cstr(&slug));
        char name[32];
        snprintf(name, sizeof name, "item.%s.md", lang_code[lang]);
        ok = write_text(dir, name, &text);
        *bytes += text.len;
        buf_free(&title);
    }
    free(dir);
    buf_free(&date);
    buf_free(&slug);
    buf_free(&dir_name);
    buf_free(&text);
    return ok;
}

static bool write_config(const char *user_dir)
{
    char *dir = path_join(user_dir, "config");
    buf text = BUF_INIT;
    bool ok = make_dir(dir);
    if (ok) {
        buf_puts(&text, "home:\n  alias: '/home'\n"
                        "languages:\n  supported: [kk, ru, en]\n  default_lang: kk\n"
                        "  include_default_lang: true\n"
                        "timezone: Asia/Almaty\n");
        ok = write_text(dir, "system.yaml", &text);
    }
    if (ok) {
        buf_reset(&text);
        buf_puts(&text, "title: ");
        put_yaml_quoted(&text, site_title);
        buf_putc(&text, '\n');
        ok = write_text(dir, "site.yaml", &text);
    }
    buf_free(&text);
    free(dir);
    return ok;
}

static bool write_home_and_blog(const char *pages_dir, const char *news_dir)
{
    char *home_dir = path_join(pages_dir, "01.home");
    bool ok = make_dir(home_dir) && make_dir(news_dir);
    buf text = BUF_INIT;
    for (int lang = 0; ok && lang < LANGS; lang++) {
        rng r = rng_for(0xFFFFFFFFu, (unsigned)lang);
        char name[32];
        buf_reset(&text);
        buf_puts(&text, "---\ntitle: ");
        put_yaml_quoted(&text, home_title[lang]);
        buf_puts(&text, "\n---\n\n# ");
        buf_puts(&text, site_title);
        buf_puts(&text, "\n\n");
        put_paragraph(&text, &r, lang, "home", 4);
        snprintf(name, sizeof name, "default.%s.md", lang_code[lang]);
        ok = write_text(home_dir, name, &text);

        buf_reset(&text);
        buf_puts(&text, "---\ntitle: ");
        put_yaml_quoted(&text, news_title[lang]);
        buf_puts(&text, "\ncontent:\n    items: '@self.children'\n    order:\n        by: date\n"
                        "        dir: desc\n    limit: 10\n    pagination: true\n---\n");
        snprintf(name, sizeof name, "blog.%s.md", lang_code[lang]);
        ok = ok && write_text(news_dir, name, &text);
    }
    buf_free(&text);
    free(home_dir);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_site N OUTDIR\n"
                        "  writes a Grav user/ folder with N news posts in kk, ru and en to OUTDIR\n");
        return 2;
    }
    char *end;
    errno = 0;
    unsigned long n = strtoul(argv[1], &end, 10);
    if (errno || *end || end == argv[1] || n < 1 || n > MAX_POSTS) {
        fprintf(stderr, "gen_site: N must be a number from 1 to %d\n", MAX_POSTS);
        return 2;
    }
    /* Dates are written as wall-clock times; generate them in UTC so the
     * output does not depend on the machine's zone. */
    date_set_timezone("UTC");
    const char *user_dir = argv[2];
    char *pages_dir = path_join(user_dir, "pages");
    char *news_dir = path_join(pages_dir, "02.news");
    int prefix_width = snprintf(NULL, 0, "%lu", n);
    if (prefix_width < 2)
        prefix_width = 2;
    bool ok = make_dir(user_dir) && write_config(user_dir) && write_home_and_blog(pages_dir, news_dir);
    size_t bytes = 0;
    for (unsigned long i = 0; ok && i < n; i++)
        ok = write_post(news_dir, (unsigned)i, prefix_width, &bytes);
    free(pages_dir);
    free(news_dir);
    if (!ok)
        return 1;
    printf("gen_site: %lu posts x %d languages, %.1f MB of Markdown in %s\n", n, LANGS,
           (double)bytes / 1e6, user_dir);
    return 0;
}
