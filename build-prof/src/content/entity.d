build-prof/src/content/entity.o: src/content/entity.c \
 src/content/entity.h src/lib/buf.h src/content/entity_table.h
src/content/entity.h:
src/lib/buf.h:
src/content/entity_table.h:
