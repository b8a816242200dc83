build-prof/src/lib/pool.o: src/lib/pool.c src/lib/pool.h
src/lib/pool.h:
