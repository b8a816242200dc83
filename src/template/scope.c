/* scope.c - the variables a render sees.
 *
 * Variables live in a stack of frames. A frame marked as a boundary gives
 * copy semantics (an include, a block or a `with` sees the caller's
 * variables but its `set`s stay its own, as PHP arrays passed by value
 * would); an isolated frame sees nothing below it (macros, `only`). A for
 * loop's frame is neither: assigning an outer variable inside a loop
 * changes it, new variables end with the loop, as in Twig. The context a
 * render starts with is read in place, never copied; globals come last. */
#include <string.h>

#include "template/internal.h"

static var *find_in_frame(frame *f, const char *name)
{
    for (size_t i = f->nvars; i-- > 0;)
        if (f->vars[i].name == name || (f->vars[i].name[0] == name[0] && strcmp(f->vars[i].name, name) == 0))
            return &f->vars[i];
    return NULL;
}

/* A variable of a frame's read-only data: a map, or a native object
 * answering attribute look-ups (a site model handed in as the context). */
static value *data_get(render *r, const value *data, const char *name)
{
    if (data->kind == V_MAP) return map_get(data, name);
    if (data->kind == V_OBJECT && data->u.obj.cls->get) return data->u.obj.cls->get(data->u.obj.self, name, r->a);
    return NULL;
}

value *tpl_lookup(render *r, const char *name, bool *found)
{
    for (frame *f = r->top; f; f = f->up) {
        var *v = find_in_frame(f, name);
        if (v) {
            *found = true;
            return v->v;
        }
        if (f->data) {
            value *dv = data_get(r, f->data, name);
            if (dv) {
                *found = true;
                return dv;
            }
        }
        if (f->is_isolated) break;
    }
    for (size_t i = 0; i < r->env->nglobals; i++)
        if (r->env->globals[i].name[0] == name[0] && strcmp(r->env->globals[i].name, name) == 0) {
            *found = true;
            return r->env->globals[i].v;
        }
    *found = false;
    return NULL;
}

void tpl_define_var(render *r, frame *f, const char *name, value *v)
{
    var *x = find_in_frame(f, name);
    if (x) {
        x->v = v;
        return;
    }
    if (f->nvars == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 8;
        var *nv = arena_alloc(r->a, ncap * sizeof *nv);
        if (f->nvars) memcpy(nv, f->vars, f->nvars * sizeof *nv);
        f->vars = nv;
        f->cap = ncap;
    }
    f->vars[f->nvars++] = (var){name, v};
}

void tpl_set_var(render *r, const char *name, value *v)
{
    for (frame *f = r->top; f; f = f->up) {
        var *x = find_in_frame(f, name);
        if (x) {
            x->v = v;
            return;
        }
        if (f->data && data_get(r, f->data, name)) {
            tpl_define_var(r, f, name, v);
            return;
        }
        if (f->is_boundary) break;
    }
    tpl_define_var(r, r->top, name, v);
}

frame *tpl_push_frame(render *r, bool boundary, bool isolated)
{
    frame *f = arena_zalloc(r->a, sizeof *f);
    f->up = r->top;
    f->is_boundary = boundary;
    f->is_isolated = isolated;
    r->top = f;
    return f;
}

void tpl_pop_frame(render *r, frame *f) { r->top = f->up; }
