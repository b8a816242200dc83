build-prof/src/content/site.o: src/content/site.c src/content/site.h \
 src/lib/arena.h src/lib/diag.h src/lib/strmap.h src/lib/value.h \
 src/lib/arena.h src/lib/buf.h src/content/frontmatter.h src/lib/buf.h \
 src/lib/date.h src/lib/files.h src/lib/pool.h src/lib/yaml.h \
 src/lib/diag.h src/lib/value.h
src/content/site.h:
src/lib/arena.h:
src/lib/diag.h:
src/lib/strmap.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
src/content/frontmatter.h:
src/lib/buf.h:
src/lib/date.h:
src/lib/files.h:
src/lib/pool.h:
src/lib/yaml.h:
src/lib/diag.h:
src/lib/value.h:
