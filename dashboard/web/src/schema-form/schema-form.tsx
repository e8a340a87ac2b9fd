import { kindOf, type ObjectSchema } from './schema';

export type FormValues = Record<string, string | boolean>;

interface Props {
  schema: ObjectSchema;
  values: FormValues;
  errors: Record<string, string>;
  onChange: (name: string, value: string | boolean) => void;
}

/** One input per property of the playbook's params schema, typed by the schema. */
export function SchemaForm({ schema, values, errors, onChange }: Props) {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return <p className="muted">This playbook takes no parameters.</p>;
  return (
    <>
      {props.map(([name, f]) => {
        const kind = kindOf(f);
        const required = (schema.required ?? []).includes(name) && f.default === undefined;
        const id = `param-${name}`;
        const placeholder = f.default === undefined ? '' : `default: ${Array.isArray(f.default) ? f.default.join(', ') : String(f.default)}`;
        const v = values[name];
        let input;
        if (kind === 'boolean') {
          input = <input id={id} name={name} type="checkbox" checked={v === true} onChange={(e) => onChange(name, e.target.checked)} />;
        } else if (kind === 'enum') {
          input = (
            <select id={id} name={name} value={String(v ?? '')} onChange={(e) => onChange(name, e.target.value)}>
              <option value="">{placeholder || '—'}</option>
              {f.enum!.map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
            </select>
          );
        } else {
          const type = f.secret ? 'password' : kind === 'integer' || kind === 'number' ? 'number' : 'text';
          input = (
            <input id={id} name={name} type={type} value={String(v ?? '')} placeholder={kind === 'list' ? `${placeholder} (comma-separated)` : placeholder}
              autoComplete={f.secret ? 'new-password' : 'off'} onChange={(e) => onChange(name, e.target.value)} aria-invalid={errors[name] ? true : undefined} />
          );
        }
        return (
          <div className="field" key={name}>
            <label htmlFor={id}>
              {name}
              {required && <span className="required"> *</span>}
            </label>
            {input}
            {f.description && <small className="muted">{f.description}</small>}
            {errors[name] && <small className="error" role="alert">{name}: {errors[name]}</small>}
          </div>
        );
      })}
    </>
  );
}

