build-prof/src/template/filters.o: src/template/filters.c src/lib/date.h \
 src/lib/buf.h src/template/internal.h src/template/template.h \
 src/lib/arena.h src/lib/diag.h src/lib/value.h src/lib/arena.h \
 src/lib/buf.h
src/lib/date.h:
src/lib/buf.h:
src/template/internal.h:
src/template/template.h:
src/lib/arena.h:
src/lib/diag.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
