build-prof/src/lib/strmap.o: src/lib/strmap.c src/lib/strmap.h \
 src/lib/buf.h
src/lib/strmap.h:
src/lib/buf.h:
