build-prof/src/content/frontmatter.o: src/content/frontmatter.c \
 src/content/frontmatter.h src/lib/arena.h src/lib/diag.h src/lib/value.h \
 src/lib/arena.h src/lib/buf.h src/lib/yaml.h src/lib/diag.h \
 src/lib/value.h
src/content/frontmatter.h:
src/lib/arena.h:
src/lib/diag.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
src/lib/yaml.h:
src/lib/diag.h:
src/lib/value.h:
