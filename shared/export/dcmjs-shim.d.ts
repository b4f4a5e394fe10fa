// dcmjs ships no type declarations. This shorthand declaration types the module as `any`;
// shared/export/dicomCodec.ts is the one typed facade over it (and compatible with another
// shorthand `declare module 'dcmjs';` elsewhere in the project).
declare module 'dcmjs';
