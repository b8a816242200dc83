build-prof/src/build/output_dir.o: src/build/output_dir.c \
 src/build/output_dir.h src/build/output.h src/lib/diag.h src/lib/buf.h \
 src/lib/files.h
src/build/output_dir.h:
src/build/output.h:
src/lib/diag.h:
src/lib/buf.h:
src/lib/files.h:
