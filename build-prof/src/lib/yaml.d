build-prof/src/lib/yaml.o: src/lib/yaml.c src/lib/yaml.h src/lib/arena.h \
 src/lib/diag.h src/lib/value.h src/lib/buf.h src/lib/files.h
src/lib/yaml.h:
src/lib/arena.h:
src/lib/diag.h:
src/lib/value.h:
src/lib/buf.h:
src/lib/files.h:
