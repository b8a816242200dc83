/* entity_table.h - the generated table of HTML5 named character references
 * (see scripts/gen-entities). Only entity.c reads it. */
#ifndef FOLIO_ENTITY_TABLE_H
#define FOLIO_ENTITY_TABLE_H

typedef struct html_entity {
    const char *name;  /* without '&' and ';' */
    const char *utf8;  /* the characters it stands for */
} html_entity;

extern const html_entity html_entities[];
extern const unsigned html_entity_count;

#endif
