#ifndef REG_H
#define REG_H
struct hooks {
    void (*quit)(void);
};
int reg_quit(void (*fn)(void));
int add_hooks(struct hooks *h);
#endif
