export * from './sessionReducer';
export * from './derived';
export * from './keyImages';
