build-prof/src/lib/arena.o: src/lib/arena.c src/lib/arena.h src/lib/buf.h
src/lib/arena.h:
src/lib/buf.h:
