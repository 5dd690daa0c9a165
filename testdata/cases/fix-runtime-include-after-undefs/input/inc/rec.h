typedef struct { int c; int w; int s; } Rec;
extern Rec *cur;
#define chunk cur->c
#define winner cur->w
#define spins cur->s
