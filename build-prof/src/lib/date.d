build-prof/src/lib/date.o: src/lib/date.c src/lib/date.h src/lib/buf.h
src/lib/date.h:
src/lib/buf.h:
