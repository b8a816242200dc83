build-prof/src/template/cli.o: src/template/cli.c src/lib/files.h \
 src/lib/yaml.h src/lib/arena.h src/lib/diag.h src/lib/value.h \
 src/lib/buf.h src/template/template.h src/lib/arena.h src/lib/buf.h \
 src/lib/diag.h src/lib/value.h
src/lib/files.h:
src/lib/yaml.h:
src/lib/arena.h:
src/lib/diag.h:
src/lib/value.h:
src/lib/buf.h:
src/template/template.h:
src/lib/arena.h:
src/lib/buf.h:
src/lib/diag.h:
src/lib/value.h:
