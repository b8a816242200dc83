/* filesize.h - "PDF, 1.2 MB": the type and size of a download, for people.
 *
 * Templates show it next to links to non-image media (reports, forms).
 * Sizes count in 1024s, as file managers do; one decimal below 10, none
 * above; the decimal separator and unit names follow the language
 * (Kazakh and Russian: «PDF, 1,2 МБ»; English: "PDF, 1.2 MB"). */
#ifndef FOLIO_MEDIA_FILESIZE_H
#define FOLIO_MEDIA_FILESIZE_H

#include "lib/buf.h"

/* Append the label for a file called name of bytes bytes in language lang
 * ("kk", "ru", "en"; others read as English). The type is the name's
 * extension in capitals, left out when it has none. */
void file_size_label(buf *b, const char *name, unsigned long long bytes, const char *lang);

#endif
