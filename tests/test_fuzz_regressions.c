/* test_fuzz_regressions.c - inputs the fuzz harnesses in fuzz/ found
 * breaking something, kept as tests once fixed (see FUZZING.md). Each
 * runs the input through the same calls as its harness and checks the
 * behaviour that was wrong. */
#include <stdlib.h>
#include <string.h>

#include "content/markdown.h"
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
