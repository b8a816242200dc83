build-prof/src/lib/files.o: src/lib/files.c src/lib/files.h src/lib/buf.h
src/lib/files.h:
src/lib/buf.h:
