/* bench_content.c - how fast one thread turns page Markdown into content:
 * Markdown rendering, shortcode expansion and the summary, over 30,000
 * pages (or argv[1]) of about 4 KB like the center's news posts. Prints the figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <md4c.h>

#include "content/markdown.h"
#include "content/shortcode.h"
#include "content/summary.h"


static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool keep_url(void *user, const char *url, size_t len, bool is_image, buf *out)
{
    (void)user;
    (void)is_image;
    buf_puts(out, "/media/");
    buf_add(out, url, len);
    return true;
}

static void make_page(buf *md)
{
    buf_puts(md, "Так в нескольких словах можно описать масштабную **научно-практическую** конференцию, "
                 "в которой приняли участие сотрудники [Центра гематологии](../../about).\n\n===\n\n");
    while (md->len < 3000) {
        buf_puts(md, "«Мультидисциплинарный подход в гематопатологии» — это название двухдневной конференции, "
                     "организованной РОО *«Казахстанское Общество врачей-гематологов»*. Участие приняли "
                     "130 гематологов, см. `код` и ![фото](photo.jpg \"Подпись\").\n\n");
        buf_puts(md, "- пункт один\n- пункт два с [ссылкой](https://example.kz/?a=1&b=2)\n\n");
    }
    buf_puts(md, "[owl-carousel class=\"gallery-owl\" items=1 lazyLoad=true]\n![](1.jpg \"Один\")\n"
                 "![](2.jpg \"Два\")\n![](3.jpg \"Три\")\n[/owl-carousel]\n\n"
                 "| Препарат | Доза |\n|---|---:|\n| A | 1 мг |\n\nКонец.\n");
}

/* md4c with callbacks that do nothing: the floor under our renderer. */
static int ignore_block(MD_BLOCKTYPE type, void *detail, void *user) { return 0; }
static int ignore_span(MD_SPANTYPE type, void *detail, void *user) { return 0; }
static int ignore_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *user) { return 0; }

static double parse_only(const buf *md, int pages)
{
    MD_PARSER parser = {.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH, .enter_block = ignore_block,
                        .leave_block = ignore_block, .enter_span = ignore_span, .leave_span = ignore_span,
                        .text = ignore_text};
    double t = now();
    for (int i = 0; i < pages; i++) md_parse(md->s, (MD_SIZE)md->len, &parser, NULL);
    return now() - t;
}

int main(int argc, char **argv)
{
    int pages = argc > 1 ? atoi(argv[1]) : 30000; /* fewer for profiling */
    if (pages <= 0) pages = 30000;
    buf md = BUF_INIT;
    make_page(&md);
    markdown_options opt = {.rewrite_url = keep_url, .escape_brackets_in_code = true};
    shortcode_ctx ctx = {.page_path = "bench.md"};
    buf html = BUF_INIT, expanded = BUF_INIT, content = BUF_INIT, summary = BUF_INIT;
    size_t out_bytes = 0;
    double t0 = now(), t_md = 0, t_sc = 0, t_sum = 0;
    for (int i = 0; i < pages; i++) {
        double a = now();
        buf_reset(&html);
        markdown_render(md.s, md.len, &opt, &html);
        double b = now();
        buf_reset(&expanded);
        shortcodes_expand(html.s, html.len, &ctx, &expanded, NULL);
        double c = now();
        buf_reset(&content);
        buf_reset(&summary);
        bool has;
        summary_split(expanded.s, expanded.len, "===", 300, &content, &summary, &has);
        double e = now();
        t_md += b - a;
        t_sc += c - b;
        t_sum += e - c;
        out_bytes += content.len;
    }
    double total = now() - t0;
    printf("pages: %d of %zu bytes Markdown, %zu bytes HTML each\n", pages, md.len, out_bytes / (size_t)pages);
    printf("(md4c parsing alone: %.3f s)\n", parse_only(&md, pages));
    printf("markdown:   %.3f s\nshortcodes: %.3f s\nsummary:    %.3f s\n", t_md, t_sc, t_sum);
    printf("total:      %.3f s on one thread (%.0f pages/s, %.1f MB/s of Markdown)\n", total, pages / total,
           (double)md.len * pages / total / 1e6);
    buf_free(&md);
    buf_free(&html);
    buf_free(&expanded);
    buf_free(&content);
    buf_free(&summary);
    return 0;
}
