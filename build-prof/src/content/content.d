build-prof/src/content/content.o: src/content/content.c \
 src/content/content.h src/content/site.h src/lib/arena.h src/lib/diag.h \
 src/lib/strmap.h src/lib/value.h src/lib/arena.h src/lib/buf.h \
 src/lib/buf.h src/content/frontmatter.h src/content/markdown.h \
 src/content/shortcode.h src/content/summary.h src/lib/files.h
src/content/content.h:
src/content/site.h:
src/lib/arena.h:
src/lib/diag.h:
src/lib/strmap.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
src/lib/buf.h:
src/content/frontmatter.h:
src/content/markdown.h:
src/content/shortcode.h:
src/content/summary.h:
src/lib/files.h:
