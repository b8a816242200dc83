build-prof/src/main.o: src/main.c src/build/build.h src/build/output.h \
 src/lib/diag.h src/build/output_dir.h src/lib/buf.h src/lib/diag.h \
 src/template/template.h src/lib/arena.h src/lib/buf.h src/lib/value.h \
 src/lib/arena.h src/lib/buf.h
src/build/build.h:
src/build/output.h:
src/lib/diag.h:
src/build/output_dir.h:
src/lib/buf.h:
src/lib/diag.h:
src/template/template.h:
src/lib/arena.h:
src/lib/buf.h:
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
