export * from './vec';
export * from './plane';
export * from './arc';
export * from './outline';
export * from './ring';
export * from './length';
export * from './sampling';
export * from './orientation';
