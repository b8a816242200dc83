build-prof/src/content/markdown.o: src/content/markdown.c \
 src/content/markdown.h src/lib/buf.h src/content/entity.h
src/content/markdown.h:
src/lib/buf.h:
src/content/entity.h:
