build-prof/src/theme/theme.o: src/theme/theme.c src/theme/theme.h
src/theme/theme.h:
