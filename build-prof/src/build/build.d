build-prof/src/build/build.o: src/build/build.c src/build/build.h \
 src/build/output.h src/lib/diag.h src/build/render.h src/content/site.h \
 src/lib/arena.h src/lib/strmap.h src/lib/value.h src/lib/arena.h \
 src/lib/buf.h src/lib/buf.h src/content/content.h src/lib/pool.h
src/build/build.h:
src/build/output.h:
src/lib/diag.h:
src/build/render.h:
src/content/site.h:
src/lib/arena.h:
src/lib/strmap.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
src/lib/buf.h:
src/content/content.h:
src/lib/pool.h:
