build-prof/src/template/render.o: src/template/render.c \
 src/template/internal.h src/template/template.h src/lib/arena.h \
 src/lib/buf.h src/lib/diag.h src/lib/value.h src/lib/arena.h \
 src/lib/buf.h
src/template/internal.h:
src/template/template.h:
src/lib/arena.h:
src/lib/buf.h:
src/lib/diag.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
