#include <stdio.h>
int main(void) { puts("folio"); return 0; }
