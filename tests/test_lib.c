/* test_lib.c - the small helpers of src/lib that the rest leans on:
 * substring search by the rarest byte, and the folding of names that
 * "did you mean" compares. */
#include <stdlib.h>
#include <string.h>

#include "lib/find.h"
#include "lib/spell.h"
#include "test.h"

/* find_bytes finds what memmem finds, at the same place, for needles of
 * rare and common bytes at every position of texts made to hold near
 * misses ("<p>==</p>", "gallery-slide"). */
TEST(find_bytes_agrees_with_memmem)
{
    static const char *const needles[] = {"<p>===</p>", "gallery-slides", "ab", "a", "|", "\xD0\xBA\xD0\xB0",
                                          "TOC]</p>", "===", "x=y"};
    static const char alphabet[] = "<>p/=gallery-slides ab|xy\xD0\xBA\xB0T]OC";
    unsigned long long seed = 0x2545F4914F6CDD1DULL;
    int mismatches = 0;
    for (int round = 0; round < 3000; round++) {
        char hay[96];
        size_t n = (size_t)(round % 96);
        for (size_t i = 0; i < n; i++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            hay[i] = alphabet[seed % (sizeof alphabet - 1)];
        }
        const char *needle = needles[round % (sizeof needles / sizeof needles[0])];
        size_t m = strlen(needle);
        if (round % 7 == 0 && n >= m) memcpy(hay + (seed % (n - m + 1)), needle, m); /* a hit now and then */
        if (find_bytes(hay, n, needle, m) != memmem(hay, n, needle, m)) mismatches++;
    }
    CHECK_INT(mismatches, 0);
    const char text[] = "<p>Text</p>\n<p>===</p>\n<p>More</p>";
    CHECK(find_bytes(text, sizeof text - 1, "<p>===</p>", 10) == text + 12);
    CHECK(find_bytes(text, 5, "<p>===</p>", 10) == NULL);
    CHECK(find_bytes(text, sizeof text - 1, "", 0) == text);
}

/* "фото 1.jpg" and "Фото 1.JPG" fold alike, and so do Kazakh letters and
 * a name with a zero-width space pasted into it; other names do not. */
TEST(spell_fold_makes_names_in_other_case_or_with_hidden_characters_alike)
{
    static const struct {
        const char *a, *b;
        int same;
    } cases[] = {
        {"Фото 1.JPG", "фото 1.jpg", 1},
        {"ҚАЛА ӘУЕН Ғ Ң Ө Ұ Ү Һ І.png", "қала әуен ғ ң ө ұ ү һ і.png", 1},
        {"2023-01-09-2\xE2\x80\x8B.jpg", "2023-01-09-2.jpg", 1},
        {"\xC2\xAD" "a.pdf", "a.pdf", 1},
        {"фото 1.jpg", "фото 2.jpg", 0},
        {"Ё.jpg", "ё.jpg", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char fa[128], fb[128];
        spell_fold(cases[i].a, fa);
        spell_fold(cases[i].b, fb);
        if ((strcmp(fa, fb) == 0) != cases[i].same) test_fail(__FILE__, __LINE__, "%s / %s", cases[i].a, cases[i].b);
    }
    size_t at;
    CHECK_INT(spell_invisible("2023-01-09-2\xE2\x80\x8B.jpg", &at), 0x200B);
    CHECK_INT((long)at, 12);
    CHECK_INT(spell_invisible("plain.jpg", &at), 0);
}
