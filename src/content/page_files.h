/* page_files.h - what each file of a page folder is, by its name, as Grav
 * reads a folder: a page file ("item.md", "item.kk.md"), a Markdown file
 * Grav does not read ("item.kz.md", "item.old.md"), media of a kind a
 * page publishes, or a file it keeps back (a script, an Office lock
 * file); and what to tell the editor about the last two. */
#ifndef FOLIO_PAGE_FILES_H
#define FOLIO_PAGE_FILES_H

#include <stdbool.h>

#include "content/site.h"

enum { PAGE_FILE_OTHER = 0, PAGE_FILE_PAGE, PAGE_FILE_UNREAD };

/* How Grav 1.7 takes a Markdown file by its name (Pages::recurse):
 * "item.md" is the page in no language in particular and "item.kk.md" its
 * version in kk, when the site has languages and kk is one of them; the
 * template part ("item") has no dot. PAGE_FILE_PAGE with *lang (-1 for
 * item.md) and *tmpl; PAGE_FILE_UNREAD for any other name ending in ".md"
 * (Grav neither shows nor publishes it); PAGE_FILE_OTHER for the rest. */
int page_file_classify(const site *s, arena *a, const char *name, int *lang, const char **tmpl);

/* The language code a page file's name ends with ("item.kk.md": "kk"),
 * or NULL. */
const char *page_file_lang_code(const char *name, arena *a);
/* Why the Markdown file at path (named name) is not read, and what its
 * name should be: a warning when its folder has no page file or the name
 * is a language misspelt ("item.kz.md"), a note beside a page file. */
void page_file_report_unread(const site *s, diag_list *d, const char *path, const char *name, bool has_page,
                             arena *a);

/* Why a file of a page folder is not published, or NULL when it is: its
 * kind is not media (s->media_types may add kinds), or it is clutter. */
const char *page_file_withheld_reason(const site *s, const char *name, arena *a);

/* Files Windows and Office leave ("Thumbs.db", "~$договор.docx"): said in
 * a note, not a warning. */
bool page_file_is_clutter(const char *name);

#endif
