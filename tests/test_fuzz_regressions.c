/* test_fuzz_regressions.c - inputs the fuzz harnesses in fuzz/ found
 * breaking something, kept as tests once fixed (see FUZZING.md). Each
 * runs the input through the same calls as its harness and checks the
 * behaviour that was wrong. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "build/seo.h"
#include "content/markdown.h"
#include "content/player.h"
#include "lib/utf8.h"
#include "test.h"

static bool keep_image(void *user, const markdown_image *image, buf *out)
{
    (void)user;
    (void)image;
    (void)out;
    return false;
}

/* fuzz_markdown: an image without alt text or with an empty title made the
 * renderer escape from an empty buffer's NULL pointer (undefined
 * behaviour, reported by UBSan under clang). */
TEST(image_with_empty_alt_and_title_renders_from_empty_buffers)
{
    static const char md[] = "Text.\n\n===\n\n![](photo.jpg \"\")\n\n![](a.png)\n";
    markdown_options opt = {0};
    opt.render_image = keep_image;
    buf out = BUF_INIT;
    CHECK_INT(markdown_render(md, sizeof md - 1, &opt, &out), 0);
    CHECK_CONTAINS(buf_cstr(&out), "<img src=\"photo.jpg\" alt=\"\" />");
    CHECK_CONTAINS(buf_cstr(&out), "<img src=\"a.png\" alt=\"\" />");
    buf_free(&out);
    buf_reset(&out);
    CHECK_INT(markdown_render(md, sizeof md - 1, NULL, &out), 0);
    CHECK_CONTAINS(buf_cstr(&out), "<img src=\"a.png\" alt=\"\" />");
    buf_free(&out);
}

/* Text placed so that it ends right before an unreadable page: a read
 * past its end faults at once instead of going unnoticed. */
typedef struct guarded {
    char *text;
    size_t len;
    void *map;
    size_t map_len;
} guarded;

static bool guard(guarded *g, const char *text)
{
    size_t vm_page = (size_t)sysconf(_SC_PAGESIZE);
    g->len = strlen(text);
    g->map_len = (g->len / vm_page + 2) * vm_page;
    char *m = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    if (m == MAP_FAILED) return false;
    mprotect(m + g->map_len - vm_page, vm_page, PROT_NONE);
    g->map = m;
    g->text = m + g->map_len - vm_page - g->len;
    memcpy(g->text, text, g->len);
    return true;
}

static void unguard(guarded *g) { munmap(g->map, g->map_len); }

/* fuzz_summary (through summary_find_unsplit_delimiter): md4c 0.4.8 reads
 * past the end of a text that ends inside a link destination, "[](" with
 * no line end after it. markdown_render gives it a final line end. */
TEST(link_destination_open_at_the_very_end_is_not_read_past)
{
    static const char *const endings[] = {"[](", "x [a](", "![](", "[a](<", "Title\n===\n\n[A](u"};
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        guarded g;
        if (!guard(&g, endings[i])) continue;
        buf out = BUF_INIT;
        CHECK_INT(markdown_render(g.text, g.len, NULL, &out), 0);
        /* no link was made: the brackets stay text */
        CHECK(strstr(buf_cstr(&out), "<a ") == NULL);
        CHECK(strstr(buf_cstr(&out), "](") != NULL);
        buf_free(&out);
        unguard(&g);
    }
}

/* fuzz_summary (through seo_plain_text): a text ending in '<' was read one
 * byte past its end, to see whether the tag there closes or opens. */
TEST(description_of_a_text_ending_in_a_tag_opener_is_not_read_past)
{
    static const char *const endings[] = {"<", "a <", "<p>x</p><", "<video"};
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        guarded g;
        if (!guard(&g, endings[i])) continue;
        buf out = BUF_INIT;
        seo_plain_text(g.text, g.len, 160, &out);
        CHECK(strchr(buf_cstr(&out), '<') == NULL);
        buf_free(&out);
        unguard(&g);
    }
}

/* fuzz_markdown: a NUL right after the '<' of what md4c takes for an
 * autolink reached the page as a NUL in the link's text (md4c hands that
 * text over as it is): it is U+FFFD, like every other NUL. */
TEST(nul_in_an_autolinks_text_is_a_replacement_character)
{
    static const char md[] = "a<\0ys:pq=_x_>b\n";
    markdown_options opt = {0};
    buf out = BUF_INIT;
    markdown_render(md, sizeof md - 1, &opt, &out);
    CHECK(out.len > 0 && !memchr(out.s, 0, out.len));
    CHECK_CONTAINS(buf_cstr(&out), ">\xEF\xBF\xBDys:pq=_x_</a>b");
    buf_free(&out);
}

/* fuzz_markdown: a player's ?id= (or ?classes=) written percent-encoded
 * decoded to a byte that starts no letter ("%97"), which went into the
 * page as it was: it is U+FFFD, and the page stays UTF-8. */
TEST(player_action_decoding_to_no_letter_is_a_replacement_character)
{
    media_file photo = {.name = "cover.jpg", .url = "/media/page/cover.jpg"};
    page pg = {.media = &photo, .nmedia = 1};
    media_file m = {.name = "a.webm", .url = "/media/page/a.webm"};
    buf out = BUF_INIT;
    CHECK(player_markup(&pg, &m, "ru", "id=%97v&classes=a%E2", "x", NULL, NULL, &out));
    CHECK_INT(utf8_check(buf_cstr(&out), out.len), out.len);
    CHECK_CONTAINS(buf_cstr(&out), " id=\"\xEF\xBF\xBDv\"");
    buf_free(&out);
}

/* fuzz_markdown: md4c 0.4.8 opens an emphasis on "_[](_)" and never closes
 * it; browsers carried the <em> on over the rest of the page. A page's
 * renderer (close_formatting) closes what is left open at its end. */
TEST(emphasis_md4c_leaves_open_is_closed_at_the_end)
{
    static const char md[] = "_[](_)\n\nAfter.\n";
    markdown_options opt = {0};
    opt.close_formatting = true;
    bool closed = false;
    opt.formatting_closed = &closed;
    buf out = BUF_INIT;
    CHECK_INT(markdown_render(md, sizeof md - 1, &opt, &out), 0);
    size_t opens = 0, closes = 0;
    for (const char *p = buf_cstr(&out); (p = strstr(p, "<em>")); p++) opens++;
    for (const char *p = buf_cstr(&out); (p = strstr(p, "</em>")); p++) closes++;
    CHECK_INT(closes, opens);
    CHECK(closed == (opens > 0));
    buf_free(&out);
}

/* fuzz_markdown: an <iframe> whose src has no value ("<iframe src>")
 * gave frame_kind_of a NULL address and arithmetic on it (undefined
 * behaviour, reported by UBSan). Such a frame is no map and no video; it
 * still gets loading="lazy". */
TEST(frame_whose_src_has_no_value_is_no_map)
{
    static const char md[] = "Text.\n\n<iframe src></iframe>\n";
    markdown_options opt = {0};
    opt.map_frame_title = "Карта";
    opt.video_frame_title = "Видео";
    opt.lazy_frames = true;
    buf out = BUF_INIT;
    CHECK_INT(markdown_render(md, sizeof md - 1, &opt, &out), 0);
    CHECK_CONTAINS(buf_cstr(&out), "loading=\"lazy\"");
    CHECK_NOT_CONTAINS(buf_cstr(&out), "Карта");
    buf_free(&out);
}
