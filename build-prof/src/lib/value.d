build-prof/src/lib/value.o: src/lib/value.c src/lib/value.h \
 src/lib/arena.h src/lib/buf.h
src/lib/value.h:
src/lib/arena.h:
src/lib/buf.h:
