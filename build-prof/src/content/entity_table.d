build-prof/src/content/entity_table.o: src/content/entity_table.c \
 src/content/entity_table.h
src/content/entity_table.h:
