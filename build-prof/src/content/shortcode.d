build-prof/src/content/shortcode.o: src/content/shortcode.c \
 src/content/shortcode.h src/content/markdown.h src/lib/buf.h \
 src/lib/diag.h src/content/entity.h src/lib/arena.h
src/content/shortcode.h:
src/content/markdown.h:
src/lib/buf.h:
src/lib/diag.h:
src/content/entity.h:
src/lib/arena.h:
