import ts from 'typescript';
import type { JsonSchema, ResponseSchemas } from '../src/openapi/response-schemas.types';

/**
 * JSON Schemas of what each controller method answers, read from its declared or inferred return
 * type with the TypeScript checker. The swagger CLI plugin describes request classes, but our
 * answers are the read models' interfaces, which it only sees as `Object`; this walks them instead,
 * so the spec follows the code with no second copy of any shape. Named interfaces and type aliases
 * become components; their doc comments become descriptions.
 */
export function responseSchemas(program: ts.Program, isController: (fileName: string) => boolean): ResponseSchemas {
  const checker = program.getTypeChecker();
  const walker = new SchemaWalker(checker);
  const operations: ResponseSchemas['operations'] = {};
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !isController(file.fileName)) continue;
    for (const statement of file.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name || !hasDecorator(statement, 'Controller')) continue;
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        if (!ROUTE_DECORATORS.some((name) => hasDecorator(member, name))) continue;
        // A method that writes its own answer (`@Res()` without passthrough) declares it with swagger's decorators.
        if (writesOwnResponse(member)) continue;
        const signature = checker.getSignatureFromDeclaration(member);
        if (!signature) continue;
        const answer = checker.getAwaitedType(checker.getReturnTypeOfSignature(signature));
        const key = `${statement.name.text}_${member.name.text}`;
        const produces = decoratorStrings(member, 'ApiProduces');
        operations[key] = {
          ...(answer && !isNothing(answer) ? { schema: walker.schemaOf(answer) } : {}),
          ...(produces.length > 0 ? { produces } : {}),
        };
      }
    }
  }
  return { schemas: walker.components(), operations: sortedKeys(operations) };
}

const ROUTE_DECORATORS = ['Get', 'Post', 'Put', 'Patch', 'Delete'];

class SchemaWalker {
  private readonly named = new Map<string, { type: ts.Type; schema: JsonSchema | null }>();

  constructor(private readonly checker: ts.TypeChecker) {}

  components(): Record<string, JsonSchema> {
    return sortedKeys(Object.fromEntries([...this.named].map(([name, entry]) => [name, entry.schema ?? {}])));
  }

  schemaOf(type: ts.Type): JsonSchema {
    const flags = type.flags;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (flags & ts.TypeFlags.StringLiteral) return { type: 'string', const: (type as ts.StringLiteralType).value };
    if (flags & ts.TypeFlags.NumberLiteral) return { type: 'number', const: (type as ts.NumberLiteralType).value };
    if (flags & ts.TypeFlags.BooleanLiteral) return { type: 'boolean' };
    if (flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping)) {
      return { type: 'string' };
    }
    if (flags & ts.TypeFlags.Number) return { type: 'number' };
    if (flags & ts.TypeFlags.BigInt) throw new Error('A bigint cannot be sent as JSON: convert it to a string first');
    if (flags & ts.TypeFlags.Null) return { type: 'null' };
    if (type.isUnion()) return this.union(type.types);
    if (this.checker.isTupleType(type)) {
      return {
        type: 'array',
        prefixItems: this.checker.getTypeArguments(type as ts.TypeReference).map((t) => this.schemaOf(t)),
      };
    }
    if (this.checker.isArrayType(type)) {
      return { type: 'array', items: this.schemaOf(this.checker.getTypeArguments(type as ts.TypeReference)[0]!) };
    }
    if (type.getSymbol()?.getName() === 'Date') return { type: 'string', format: 'date-time' };
    if (flags & ts.TypeFlags.Object || type.isIntersection()) return this.object(type);
    throw new Error(`No JSON schema for the type ${this.checker.typeToString(type)}`);
  }

  private union(members: readonly ts.Type[]): JsonSchema {
    const present = members.filter((member) => !isNothing(member));
    const literals = present.filter((member) => member.isStringLiteral());
    const booleans = present.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
    const nullable = present.some((member) => member.flags & ts.TypeFlags.Null);
    const rest = present.filter(
      (member) => !member.isStringLiteral() && !(member.flags & (ts.TypeFlags.BooleanLiteral | ts.TypeFlags.Null)),
    );
    const options: JsonSchema[] = [];
    if (literals.length > 0) options.push({ type: 'string', enum: literals.map((member) => member.value).sort() });
    if (booleans.length > 0) options.push({ type: 'boolean' });
    options.push(...rest.map((member) => this.schemaOf(member)));
    if (nullable) {
      const only = options.length === 1 ? options[0]! : null;
      if (only && typeof only.type === 'string' && !only.$ref) {
        return { ...only, type: [only.type, 'null'], ...(only.enum ? { enum: [...only.enum, null] } : {}) };
      }
      options.push({ type: 'null' });
    }
    return options.length === 1 ? options[0]! : { anyOf: options };
  }

  private object(type: ts.Type): JsonSchema {
    const name = this.componentName(type);
    if (!name) return this.properties(type);
    const known = this.named.get(name);
    if (known) {
      if (known.type !== type) throw new Error(`Two different answer types are both named ${name}: rename one`);
      return { $ref: `#/components/schemas/${name}` };
    }
    const entry = { type, schema: null as JsonSchema | null };
    this.named.set(name, entry);
    entry.schema = this.properties(type);
    const description = this.documentation(type.aliasSymbol ?? type.getSymbol());
    if (description) entry.schema = { description, ...entry.schema };
    return { $ref: `#/components/schemas/${name}` };
  }

  private properties(type: ts.Type): JsonSchema {
    const declaration = (type.aliasSymbol ?? type.getSymbol())?.declarations?.[0];
    if (
      declaration &&
      !isTypeScriptLibrary(declaration) &&
      declaration.getSourceFile().fileName.includes('/node_modules/')
    ) {
      // A library's type (a Stripe object as Stripe sends it): described by its owner, not walked.
      return { type: 'object', description: `${this.checker.typeToString(type)}, as its library defines it` };
    }
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const property of this.checker.getPropertiesOfType(type)) {
      const propertyType = this.checker.getTypeOfSymbol(property);
      if (propertyType.getCallSignatures().length > 0) continue;
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0 || includesNothing(propertyType);
      const description = this.documentation(property);
      // undefined is left out of JSON: union() drops it, the property is then not required.
      const schema = this.schemaOf(propertyType);
      properties[property.getName()] = description ? { description, ...schema } : schema;
      if (!optional) required.push(property.getName());
    }
    const schema: JsonSchema = { type: 'object', properties };
    if (required.length > 0) schema.required = required;
    const index = this.checker.getIndexInfosOfType(type).find((info) => info.keyType.flags & ts.TypeFlags.String);
    if (index) schema.additionalProperties = this.schemaOf(index.type);
    return schema;
  }

  /** Interfaces, classes and aliases by their name; generic instances as `Name_Argument`. */
  private componentName(type: ts.Type): string | null {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const name = symbol?.getName();
    if (!symbol || !name || name.startsWith('__')) return null;
    // Record, Partial, Pick...: TypeScript's own helpers are written out, not named.
    if (symbol.declarations?.some(isTypeScriptLibrary)) return null;
    const typeArguments = type.aliasSymbol
      ? (type.aliasTypeArguments ?? [])
      : (type as ts.TypeReference).target
        ? this.checker.getTypeArguments(type as ts.TypeReference)
        : [];
    const argumentNames = typeArguments.map((argument) => this.checker.typeToString(argument).replace(/\W+/g, ''));
    return [name, ...argumentNames].join('_');
  }

  private documentation(symbol: ts.Symbol | undefined): string | null {
    const text = symbol ? ts.displayPartsToString(symbol.getDocumentationComment(this.checker)).trim() : '';
    return text || null;
  }
}

function isTypeScriptLibrary(declaration: ts.Declaration): boolean {
  return declaration.getSourceFile().fileName.includes('/node_modules/typescript/lib/');
}

function isNothing(type: ts.Type): boolean {
  return (type.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Never)) !== 0;
}

function includesNothing(type: ts.Type): boolean {
  return type.isUnion() ? type.types.some(isNothing) : isNothing(type);
}

function hasDecorator(node: ts.HasDecorators, name: string): boolean {
  return (ts.getDecorators(node) ?? []).some((decorator) => {
    const expression = decorator.expression;
    return (
      ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === name
    );
  });
}

/** The string arguments of a decorator, e.g. the media types of `@ApiProduces('text/csv')`. */
function decoratorStrings(node: ts.HasDecorators, name: string): string[] {
  return (ts.getDecorators(node) ?? []).flatMap((decorator) => {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== name) return [];
    return call.arguments.filter(ts.isStringLiteral).map((argument) => argument.text);
  });
}

function writesOwnResponse(method: ts.MethodDeclaration): boolean {
  return method.parameters.some((parameter) =>
    (ts.getDecorators(parameter) ?? []).some((decorator) => {
      const call = decorator.expression;
      if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== 'Res')
        return false;
      return !call.arguments.some((argument) => argument.getText().includes('passthrough: true'));
    }),
  );
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
