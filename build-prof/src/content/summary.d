build-prof/src/content/summary.o: src/content/summary.c \
 src/content/summary.h src/lib/buf.h src/content/entity.h \
 src/content/markdown.h
src/content/summary.h:
src/lib/buf.h:
src/content/entity.h:
src/content/markdown.h:
