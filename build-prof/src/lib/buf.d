build-prof/src/lib/buf.o: src/lib/buf.c src/lib/buf.h
src/lib/buf.h:
