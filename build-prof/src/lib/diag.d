build-prof/src/lib/diag.o: src/lib/diag.c src/lib/diag.h src/lib/buf.h
src/lib/diag.h:
src/lib/buf.h:
