//! The numerical pieces the original pipeline is made of, each as
//! scikit-learn computes it (checked against it by `scripts/oracle.py`'s
//! fixtures): a dense matrix, standardisation, polynomial features, mutual
//! information, ridge regression, the pipeline that chains them, error
//! metrics and cross-validated grid search. Knows nothing of months or
//! sources: it fits numbers.

pub mod cross_validation;
pub mod matrix;
pub mod metrics;
pub mod mutual_info;
pub mod pipeline;
pub mod poly;
pub mod ridge;
pub mod scaler;
