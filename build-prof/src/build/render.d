build-prof/src/build/render.o: src/build/render.c src/build/render.h \
 src/content/site.h src/lib/arena.h src/lib/diag.h src/lib/strmap.h \
 src/lib/value.h src/lib/arena.h src/lib/buf.h src/lib/buf.h \
 src/lib/files.h src/template/template.h src/theme/theme.h
src/build/render.h:
src/content/site.h:
src/lib/arena.h:
src/lib/diag.h:
src/lib/strmap.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
src/lib/buf.h:
src/lib/files.h:
src/template/template.h:
src/theme/theme.h:
