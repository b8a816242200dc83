build-prof/src/template/parser.o: src/template/parser.c \
 src/template/parse.h src/template/internal.h src/template/template.h \
 src/lib/arena.h src/lib/buf.h src/lib/diag.h src/lib/value.h \
 src/lib/arena.h src/lib/buf.h
src/template/parse.h:
src/template/internal.h:
src/template/template.h:
src/lib/arena.h:
src/lib/buf.h:
src/lib/diag.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
