/* lang.h - languages by their codes: each one's name in itself, for
 * language switchers and caption tracks ("Қазақша", not "KK"). */
#ifndef FOLIO_LANG_H
#define FOLIO_LANG_H

/* The name of language code ("kk", "pt-BR", "zh-cn") in that language,
 * or NULL when folio does not know it. A regional code the table lacks
 * takes its language's name ("de-AT": "Deutsch"). */
const char *lang_native_name(const char *code);

#endif
