build-prof/src/template/env.o: src/template/env.c src/template/internal.h \
 src/template/template.h src/lib/arena.h src/lib/buf.h src/lib/diag.h \
 src/lib/value.h src/lib/arena.h src/lib/buf.h
src/template/internal.h:
src/template/template.h:
src/lib/arena.h:
src/lib/buf.h:
src/lib/diag.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
